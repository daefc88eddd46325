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

    assert capsys.readouterr().out.splitlines() == [
        "Row 2: Ama Mensah <ama@example.org> would be created as Expert, not yet invited.",
        "Would import 1 rows: 1 created, 0 updated, 0 unchanged.",
    ]
    assert Participant.objects.count() == 0


def test_command_dry_run_prints_what_each_row_would_do(tmp_path, capsys):
    meeting = MeetingFactory(slug="accra-2009")
    ParticipantFactory(
        meeting=meeting,
        email="ama@example.org",
        given_name="Ama",
        family_name="Old",
        role="expert",
        country="GH",
    )
    ParticipantFactory(
        meeting=meeting,
        email="kofi@example.org",
        given_name="Kofi",
        family_name="Boateng",
        role="observer",
        country="GH",
    )
    path = write(
        tmp_path,
        "list.csv",
        HEADER
        + "Ama,Mensah,AMA@example.org,government,GH\n"
        + "Kofi,Boateng,kofi@example.org,observer,GH\n"
        + "Esi,Owusu,esi@example.org,consultant,GH\n",
    )

    call_command("import_participants", "accra-2009", str(path), "--dry-run")

    assert capsys.readouterr().out.splitlines() == [
        "Row 2: Ama Mensah <ama@example.org> would be updated (family name, role changed).",
        "Row 3: Kofi Boateng <kofi@example.org> unchanged.",
        "Row 4: Esi Owusu <esi@example.org> would be created as Consultant / facilitator, "
        "not yet invited.",
        "Would import 3 rows: 1 created, 1 updated, 1 unchanged.",
    ]
    assert Participant.objects.get(email="ama@example.org").family_name == "Old"
    assert Participant.objects.count() == 2


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
