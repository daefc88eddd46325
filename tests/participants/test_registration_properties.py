"""Property-based tests of the registration form as the participant posts it: any input is
saved or refused with the form's errors, and a refused post changes nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Registration, Status

from .support import accepted, registration_details

pytestmark = pytest.mark.django_db

FIELDS = [
    "passport_name", "nationality", "date_of_birth", "passport_number",
    "passport_issuing_country", "passport_expires_on", "dietary_needs", "accessibility_needs",
    "emergency_contact_name", "emergency_contact_phone", "consent_listed",
    "consent_publish_papers",
]  # fmt: skip
AWKWARD = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", "1970-02-30", "0000-00-00", "9999-12-31", "GH", "XX", "on", "<script>", "\x00"]
    ),
    st.text(min_size=300, max_size=400),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), AWKWARD, max_size=5))
def test_any_registration_post_is_saved_or_refused_without_writing(client, changes):
    participant = accepted()
    meeting = participant.meeting
    client.force_login(participant.user)
    data = {**registration_details(meeting), **changes}

    response = client.post(reverse("participant:registration", kwargs={"slug": meeting.slug}), data)

    participant.refresh_from_db()
    saved = Registration.objects.filter(participant=participant).exists()
    if response.status_code == 302:
        assert saved
        assert participant.status == Status.REGISTERED
    else:
        assert response.status_code == 400  # the form again, with its errors
        assert response.context["form"].errors
        assert not saved
        assert participant.status == Status.ACCEPTED
