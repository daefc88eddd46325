"""The programme editor's people picker: only those who hold or may hold a seat."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from participants.models import SessionRole, Status
from participants.programme.forms import MemberForm, PartForm
from tests.factories import MeetingFactory, ParticipantFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_people_picker_offers_only_those_who_hold_or_may_hold_a_seat():
    meeting = MeetingFactory()
    for status in Status:
        ParticipantFactory(meeting=meeting, family_name=status.label, given_name="A", status=status)
    for form in (PartForm(meeting=meeting), MemberForm(meeting=meeting)):
        labels = [label for _, label in form.fields["participant"].choices][1:]
        assert labels == [
            "Accepted, A (accepted)",
            "Attended, A (attended)",
            "Invited, A (invited)",
            "Registered, A (registered)",
            "Waiting list, A (waiting list)",
        ]


@pytest.mark.parametrize("status", [Status.DECLINED, Status.NOT_INVITED, Status.CANCELLED])
def test_giving_a_part_to_someone_without_a_seat_is_refused(client, status):
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting)
    person = ParticipantFactory(meeting=meeting, status=status)
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    client.force_login(organiser)

    response = client.post(
        reverse("agenda:organise_part", kwargs={"slug": meeting.slug, "pk": session.pk}),
        {"participant": person.pk, "part": "chair", "order": 0},
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Participant: Select a valid choice. That choice is not one of the available choices."
    ]
    assert SessionRole.objects.count() == 0
