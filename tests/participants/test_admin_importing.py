import csv
import hashlib
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Participant, Role, Status
from participants.organisers import ensure_organiser
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/participants/participant/import/"
PROCESS_URL = "/admin/participants/participant/process_import/"
EXPORT_URL = "/admin/participants/participant/export/"
HEADER = "given name,family name,email,role,country\n"


@pytest.fixture
def meeting():
    return MeetingFactory(slug="accra-2009")


@pytest.fixture
def admin_client(client, meeting):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def upload(client, meeting, text: bytes, name: str = "list.csv", file_format: str = "0"):
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": file_format,
            "meeting": meeting.pk,
            "import_file": SimpleUploadedFile(name, text),
        },
    )


def test_admin_import_previews_then_writes_on_confirm(admin_client, meeting):
    ParticipantFactory(
        meeting=meeting, email="ama@example.org", family_name="Old", status=Status.ACCEPTED
    )
    data = (
        HEADER + "Ama,Mensah,AMA@example.org,expert,GH\nKofi,Boateng,kofi@example.org,"
        "Observer,Kenya\n"
    ).encode()

    preview = upload(admin_client, meeting, data)

    result = preview.context["result"]
    assert [(row.number, row.import_type) for row in result.rows] == [(2, "update"), (3, "new")]
    assert "Mensah (changed)" in preview.content.decode()
    assert Participant.objects.count() == 1
    confirm = preview.context["confirm_form"]

    done = admin_client.post(PROCESS_URL, {**confirm.initial})

    assert done.status_code == 302
    assert sorted(Participant.objects.values_list("email", "family_name", "role", "status")) == [
        ("ama@example.org", "Mensah", Role.EXPERT, Status.ACCEPTED),
        ("kofi@example.org", "Boateng", Role.OBSERVER, Status.NOT_INVITED),
    ]


def test_admin_import_lists_bad_rows_and_writes_nothing(admin_client, meeting):
    data = (
        HEADER + "Ama,Mensah,ama@example,expert,GH\nKofi,Boateng,kofi@example.org,wizard,GH\n"
    ).encode()

    response = upload(admin_client, meeting, data)

    result = response.context["result"]
    assert [(row.number, row.field_specific_errors) for row in result.invalid_rows] == [
        (2, {"email": ["'ama@example' is not a valid email address."]}),
        (
            3,
            {
                "role": [
                    "'wizard' is not a known role (use one of: Expert, UN Secretariat, "
                    "Regional Commission, Government official, Consultant / facilitator, "
                    "Observer / discussant)."
                ]
            },
        ),
    ]
    assert "confirm_form" not in response.context
    assert Participant.objects.count() == 0


def test_admin_import_reports_missing_columns(admin_client, meeting):
    response = upload(admin_client, meeting, b"given name,email\nAma,ama@example.org\n")

    result = response.context["result"]
    assert [(row.number, row.field_specific_errors) for row in result.invalid_rows] == [
        (
            1,
            {
                "family name, role": [
                    "required columns missing: family name, role (found: given name, email)."
                ]
            },
        ),
    ]
    assert Participant.objects.count() == 0


def test_admin_import_rejects_unreadable_file_with_reason(admin_client, meeting):
    response = upload(admin_client, meeting, "given name\nJosé\n".encode("latin-1"))

    errors = response.context["form"].errors["import_file"]
    assert errors[0].startswith("Row 2 is not UTF-8 text (byte 0xE9")
    assert Participant.objects.count() == 0


def test_admin_import_offers_only_meetings_the_user_organises(client, meeting):
    other = MeetingFactory()
    user = UserFactory(is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__endswith="_participant"))
    meeting.organisers.add(user)
    client.force_login(user)

    response = client.get(IMPORT_URL)
    refused = upload(client, other, (HEADER + "A,B,a@example.org,expert,GH\n").encode())

    assert list(response.context["form"].fields["meeting"].queryset) == [meeting]
    assert "meeting" in refused.context["form"].errors
    assert Participant.objects.count() == 0


def test_admin_export_neutralises_formulas(admin_client, meeting):
    ParticipantFactory(
        meeting=meeting,
        given_name='=HYPERLINK("http://x","y")',
        organisation="@SUM(1)",
        family_name="-1+2",
    )

    csv_response = admin_client.post(EXPORT_URL, {"format": "0", "resource": "0", **_all_fields()})
    xlsx_response = admin_client.post(EXPORT_URL, {"format": "1", "resource": "0", **_all_fields()})

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1][1:3] == ['\'=HYPERLINK("http://x","y")', "'-1+2"]
    assert rows[1][4] == "'@SUM(1)"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    cell = sheet["B2"]
    assert (cell.data_type, cell.value) == ("s", '\'=HYPERLINK("http://x","y")')
    assert "passport" not in str(rows[0]).lower()


def test_admin_xlsx_export_has_a_frozen_filtered_header_and_fitting_columns(admin_client, meeting):
    ParticipantFactory(meeting=meeting, email="a.rather.long.address@example.org")

    response = admin_client.post(EXPORT_URL, {"format": "1", "resource": "0", **_all_fields()})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:O2")
    assert sheet["A1"].font.b is True
    # XlsxWriter stores a width with the cell padding of Excel's own unit (+0.71).
    assert int(sheet.column_dimensions["D"].width) == len("a.rather.long.address@example.org") + 2


def _all_fields() -> dict[str, str]:
    from participants.resources import EXPORT_FIELDS

    return {f"participantresource_{name}": "on" for name in EXPORT_FIELDS}


def test_tracker_links_each_row_to_its_admin_page(admin_client, meeting):
    participant = ParticipantFactory(meeting=meeting)

    response = admin_client.get(f"/m/{meeting.slug}/organise/participants/")

    assert f'href="/admin/participants/participant/{participant.pk}/change/"' in (
        response.content.decode()
    )


def test_admin_import_reads_xlsx(admin_client, meeting):
    book = openpyxl.Workbook()
    book.active.append(["Given name", "Family name", "Email", "Role"])
    book.active.append(["Ama", "Mensah", "ama@example.org", "UN Secretariat"])
    buffer = io.BytesIO()
    book.save(buffer)

    preview = upload(admin_client, meeting, buffer.getvalue(), "list.xlsx", file_format="1")

    assert [(row.number, row.import_type) for row in preview.context["result"].rows] == [(2, "new")]
    assert Participant.objects.count() == 0


def test_admin_export_carries_no_passport_or_birth_date_and_only_own_meetings(client, meeting):
    ours = ParticipantFactory(meeting=meeting, email="ours@example.org", status=Status.REGISTERED)
    ParticipantFactory(meeting=MeetingFactory(), email="theirs@example.org")
    RegistrationFactory(participant=ours)
    organiser, _ = ensure_organiser(
        email="dspd@example.org", password="a-long-test-password", meetings=[meeting]
    )
    client.force_login(organiser)

    response = client.post(EXPORT_URL, {"format": "0", "resource": "0", **_all_fields()})

    text = response.content.decode("utf-8-sig")
    assert [row["Email"] for row in csv.DictReader(io.StringIO(text))] == ["ours@example.org"]
    assert "G1234567" not in text
    assert "1970" not in text


def test_admin_import_records_who_created_each_participant_with_its_values(admin_client, meeting):
    data = (HEADER + "Ama,Mensah,ama@example.org,expert,GH\nKofi,Boateng,kofi@example.org,"
            "Observer,Kenya\n").encode()  # fmt: skip
    preview = upload(admin_client, meeting, data)

    admin_client.post(PROCESS_URL, {**preview.context["confirm_form"].initial})

    user = preview.wsgi_request.user
    tracked = [field.attname for field in Participant.history.model.tracked_fields]
    for participant in Participant.objects.filter(meeting=meeting):
        [created] = participant.history.all()
        assert (created.history_type, created.history_user, created.history_change_reason) == (
            "+",
            user,
            "Imported from the invitee list",
        )
        assert [getattr(created, name) for name in tracked] == [
            getattr(participant, name) for name in tracked
        ]


def test_admin_import_preview_shows_the_first_rows_and_counts_the_rest(admin_client, meeting):
    rows = "".join(f"Given{n},Family{n},person{n}@example.org,expert,GH\n" for n in range(105))

    preview = upload(admin_client, meeting, (HEADER + rows).encode())

    result = preview.context["result"]
    assert [row.number for row in result.rows] == list(range(2, 102))
    assert result.totals["new"] == 105
    page = preview.content.decode()
    assert "105 rows: 105 new, 0 updated, 0 unchanged" in page
    assert "The first 100 rows are shown; 5 more are not." in page
    assert "person99@example.org" in page and "person100@example.org" not in page

    done = admin_client.post(PROCESS_URL, {**preview.context["confirm_form"].initial})

    assert done.status_code == 302
    assert Participant.objects.filter(meeting=meeting).count() == 105
    [entry] = LogEntry.objects.all()
    assert (entry.object_id, entry.change_message) == (
        str(meeting.pk),
        "Imported the invitee list: 105 new, 0 updated, 0 unchanged.",
    )


def test_admin_import_confirms_when_the_kept_table_has_expired(admin_client, meeting):
    preview = upload(
        admin_client, meeting, (HEADER + "Ama,Mensah,ama@example.org,expert,GH\n").encode()
    )
    cache.clear()  # the table kept from the preview is gone: the file is read again

    done = admin_client.post(PROCESS_URL, {**preview.context["confirm_form"].initial})

    assert done.status_code == 302
    assert list(Participant.objects.values_list("email", flat=True)) == ["ama@example.org"]


def test_admin_import_keeps_the_read_list_only_until_it_is_confirmed(admin_client, meeting):
    data = (HEADER + "Ama,Mensah,ama@example.org,expert,GH\n").encode()
    key = "participants:import-table:" + hashlib.sha256(data).hexdigest()
    cache.clear()

    preview = upload(admin_client, meeting, data)

    assert cache.get(key).headers == ["given name", "family name", "email", "role", "country"]
    admin_client.post(PROCESS_URL, {**preview.context["confirm_form"].initial})
    assert cache.get(key) is None
    assert Participant.objects.filter(meeting=meeting).count() == 1
