"""``ensure_organiser``: the demo organiser's account, stable across runs."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from agenda.demo import DEMO_SLUG
from participants.models import User
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("ORGANISER_PASSWORD", raising=False)
    return tmp_path


def run(*args) -> str:
    out = StringIO()
    call_command("ensure_organiser", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    return next(line for line in output.splitlines() if "Password:" in line).split()[-1]


def test_ensure_organiser_creates_a_staff_organiser_of_the_demo_meeting(var_dir):
    meeting = MeetingFactory(slug=DEMO_SLUG)

    output = run()

    user = User.objects.get(email="organiser@example.org")
    password = printed_password(output)
    assert "  Sign in at: http://127.0.0.1:8000/accounts/login/\n" in output
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert user.check_password(password)
    assert list(meeting.organisers.all()) == [user]
    assert list(user.groups.values_list("name", flat=True)) == ["Organisers"]
    assert (var_dir / "organiser-password.txt").read_text().strip() == password
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)


def test_ensure_organiser_prints_where_the_organiser_works(client):
    meeting = MeetingFactory(slug=DEMO_SLUG)

    output = run()

    pages = [
        f"/m/{DEMO_SLUG}/organise/",
        f"/m/{DEMO_SLUG}/organise/participants/",
        f"/m/{DEMO_SLUG}/organise/agenda/",
        f"/m/{DEMO_SLUG}/organise/papers/",
    ]
    assert all(f"http://127.0.0.1:8000{page}" in output for page in pages)
    client.force_login(meeting.organisers.get())
    assert [client.get(page).status_code for page in pages] == [200, 200, 200, 200]


def test_ensure_organiser_twice_prints_the_same_password_and_keeps_one_account():
    MeetingFactory(slug=DEMO_SLUG)

    first = printed_password(run())
    second = printed_password(run())

    assert first == second
    assert User.objects.filter(email="organiser@example.org").count() == 1
    assert User.objects.get().check_password(second)


def test_ensure_organiser_takes_the_password_from_the_environment(monkeypatch):
    MeetingFactory(slug=DEMO_SLUG)
    run()
    monkeypatch.setenv("ORGANISER_PASSWORD", "a-chosen-password-for-the-demo")

    output = run()

    assert printed_password(output) == "a-chosen-password-for-the-demo"
    assert User.objects.get().check_password("a-chosen-password-for-the-demo")


def test_ensure_organiser_without_the_demo_meeting_says_so_and_still_makes_the_account():
    output = run()

    assert "demo meeting is not loaded yet" in output
    assert User.objects.get().organised_meetings.count() == 0


def test_ensure_organiser_refuses_an_unknown_meeting_and_writes_nothing():
    with pytest.raises(CommandError, match="No meeting with the slug no-such-meeting"):
        run("--meeting", "no-such-meeting")

    assert User.objects.count() == 0


def test_ensure_organiser_can_sign_in_to_the_admin(client):
    MeetingFactory(slug=DEMO_SLUG)
    password = printed_password(run())

    signed_in = client.login(email="organiser@example.org", password=password)
    response = client.get("/admin/agenda/meeting/")

    assert signed_in is True
    assert response.status_code == 200


def test_ensure_organiser_verifies_an_address_a_link_left_unverified():
    meeting = MeetingFactory(slug=DEMO_SLUG)
    user = User.objects.create_user(email="organiser@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    run()

    address = EmailAddress.objects.get(user=user)
    assert (address.verified, address.primary) == (True, True)
    assert list(meeting.organisers.all()) == [user]
