"""The organisers' own import page: a preview that writes nothing, a confirmation that
imports the previewed file, every bad row named, and only for the meeting's organisers."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Participant, Status
from participants.organisers import ensure_organiser
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = (
    "given name,family name,email,role,country,nationality\n"
    "Kofi,Annan-Mensah,kofi@example.org,Expert,Ghana,Ghanaian\n"
    "Ana,Souza,ana@example.org,Observer,BR,Brazilian\n"
)
CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')


@pytest.fixture
def meeting():
    return MeetingFactory(slug="accra-2009")


@pytest.fixture
def desk(client, meeting):
    user, _ = ensure_organiser(
        email="desk@example.org", password="a-long-password-1", meetings=[meeting]
    )
    client.force_login(user)
    return client


def _url(meeting) -> str:
    return f"/m/{meeting.slug}/organise/import/"


def _preview(desk, meeting, text: str = LIST):
    return desk.post(_url(meeting), {"file": SimpleUploadedFile("invitees.csv", text.encode())})


def test_the_preview_lists_each_row_and_writes_nothing(desk, meeting):
    ParticipantFactory(meeting=meeting, email="ANA@example.org", given_name="Ana", role="observer")

    response = _preview(desk, meeting)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Would import 2 rows: 1 created, 1 updated, 0 unchanged." in page
    assert "New, not yet invited" in page
    assert "Updated: family name" in page
    assert Participant.objects.filter(meeting=meeting).count() == 1


def test_confirming_imports_the_previewed_file_as_not_yet_invited(desk, meeting):
    token = CONFIRM.search(_preview(desk, meeting).content.decode()).group(1)

    response = desk.post(_url(meeting), {"confirm": token})

    assert response.status_code == 302
    assert response["Location"] == f"/m/{meeting.slug}/organise/participants/?status=not_invited"
    people = Participant.objects.filter(meeting=meeting).order_by("email")
    assert [(p.email, p.status, p.nationality.code) for p in people] == [
        ("ana@example.org", Status.NOT_INVITED, "BR"),
        ("kofi@example.org", Status.NOT_INVITED, "GH"),
    ]


def test_a_bad_row_is_named_and_nothing_is_written(desk, meeting):
    response = _preview(desk, meeting, LIST + "Ama,Mensah,not-an-address,Expert,GH,GH\n")

    assert response.status_code == 400
    assert "Row 4, column email: &#x27;not-an-address&#x27; is not a valid email address." in (
        response.content.decode()
    )
    assert 'id="error-summary"' in response.content.decode()
    assert not Participant.objects.filter(meeting=meeting).exists()


def test_a_confirmation_of_another_file_is_refused(desk, meeting):
    _preview(desk, meeting)

    response = desk.post(_url(meeting), {"confirm": "0" * 64}, follow=True)

    assert "This preview has expired; upload the file again." in response.content.decode()
    assert not Participant.objects.exists()


def test_a_preview_is_confirmed_once(desk, meeting):
    token = CONFIRM.search(_preview(desk, meeting).content.decode()).group(1)
    desk.post(_url(meeting), {"confirm": token})
    Participant.objects.all().delete()

    response = desk.post(_url(meeting), {"confirm": token}, follow=True)

    assert "This preview has expired; upload the file again." in response.content.decode()
    assert not Participant.objects.exists()


def test_only_the_meetings_organisers_may_import(client, meeting):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(_url(meeting)).status_code == 404


def test_the_page_offers_both_templates(desk, meeting):
    page = desk.get(_url(meeting)).content.decode()

    for fmt, content_type in (("csv", "text/csv"), ("xlsx", "application/vnd.openxml")):
        href = f"/m/{meeting.slug}/organise/import/template.{fmt}"
        assert f'href="{href}"' in page
        assert desk.get(href)["Content-Type"].startswith(content_type)


def test_a_long_list_shows_its_first_rows_counts_the_rest_and_imports_them_all(desk, meeting):
    rows = "".join(f"Given{n},Family{n},person{n}@example.org,Expert,GH,GH\n" for n in range(105))
    text = "given name,family name,email,role,country,nationality\n" + rows

    preview = _preview(desk, meeting, text)

    page = preview.content.decode()
    assert "Would import 105 rows: 105 created, 0 updated, 0 unchanged." in page
    assert "the first 100 of 105 rows" in page
    assert "The other 5 rows are counted above, not listed." in page
    assert "person99@example.org" in page and "person100@example.org" not in page
    assert "Import 105 rows" in page

    desk.post(_url(meeting), {"confirm": CONFIRM.search(page).group(1)})

    people = Participant.objects.filter(meeting=meeting)
    assert people.count() == 105
    assert set(people.values_list("region", flat=True)) == {"africa"}
    history = Participant.history.filter(meeting=meeting)
    assert history.count() == 105
    assert {(h.history_type, h.history_user.email) for h in history} == {("+", "desk@example.org")}


def test_a_preview_whose_file_is_no_longer_kept_asks_for_the_file_again(desk, meeting):
    token = CONFIRM.search(_preview(desk, meeting).content.decode()).group(1)
    cache.clear()  # an hour passed, or the cache was emptied

    response = desk.post(_url(meeting), {"confirm": token}, follow=True)

    assert "This preview has expired; upload the file again." in response.content.decode()
    assert not Participant.objects.exists()
