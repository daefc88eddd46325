import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from participants.models import Participant
from tests.factories import MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

HEADER = "given name,family name,email,role,country\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_command_imports_and_prints_summary(tmp_path, capsys):
    meeting = MeetingFactory(slug="accra-2009")
    ParticipantFactory(meeting=meeting, email="ama@example.org", family_name="Old")
    path = write(
        tmp_path,
        "list.csv",
        HEADER
        + "Ama,Mensah,AMA@example.org,expert,GH\nKofi,Boateng,kofi@example.org,observer,GH\n",
    )

    call_command("import_participants", "accra-2009", str(path))

    assert capsys.readouterr().out.strip() == (
        "Imported 2 rows: 1 created, 1 updated, 0 unchanged."
    )
    assert Participant.objects.filter(meeting=meeting).count() == 2


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    MeetingFactory(slug="accra-2009")
    path = write(tmp_path, "list.csv", HEADER + "Ama,Mensah,ama@example.org,expert,GH\n")

    call_command("import_participants", "accra-2009", str(path), "--dry-run")

    assert capsys.readouterr().out.strip() == (
        "Would import 1 rows: 1 created, 0 updated, 0 unchanged."
    )
    assert Participant.objects.count() == 0


def test_command_prints_every_error_and_fails(tmp_path, capsys):
    MeetingFactory(slug="accra-2009")
    path = write(
        tmp_path,
        "list.csv",
        HEADER + "Ama,Mensah,not-an-email,expert,GH\nKofi,Boateng,kofi@example.org,king,GH\n",
    )

    with pytest.raises(CommandError) as caught:
        call_command("import_participants", "accra-2009", str(path))

    assert str(caught.value) == "list.csv was not imported: 2 problems found; nothing was written."
    assert capsys.readouterr().err.splitlines() == [
        "Row 2, column email: 'not-an-email' is not a valid email address.",
        "Row 3, column role: 'king' is not a known role (use one of: Expert, UN Secretariat, "
        "Regional Commission, Government official, Consultant / facilitator, "
        "Observer / discussant).",
    ]
    assert Participant.objects.count() == 0


def test_command_unknown_meeting_fails(tmp_path):
    path = write(tmp_path, "list.csv", HEADER)

    with pytest.raises(CommandError, match="No meeting has the slug 'nowhere'."):
        call_command("import_participants", "nowhere", str(path))


def test_command_exits_non_zero_on_errors(tmp_path, capsys):
    MeetingFactory(slug="accra-2009")
    path = write(tmp_path, "list.csv", "")

    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["manage.py", "import_participants", "accra-2009", str(path)])

    assert caught.value.code == 1
    assert "The file is empty" in capsys.readouterr().err
