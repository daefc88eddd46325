"""The demo meeting: the Accra expert group meeting of November 2009, with fictional people.

``load_demo`` writes the meeting, its venue and rooms, working groups, deadlines, the
three-day programme, 35 fictional participants with their status histories, and six
expert papers (small PDFs drawn with ReportLab at load time, into private storage). Every row
is found by a natural key and saved only when a value differs, so a second run changes
nothing. With ``today`` given, every date moves by whole days so that the expert-paper
deadline falls ten days later (local times and every interval kept, in the meeting's zone).
"""

import datetime as dt
import hashlib
import io
import uuid
import zoneinfo
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from logistics.demo import load_logistics_demo
from participants.models import (
    Paper,
    PaperVersion,
    Participant,
    Registration,
    ReviewStatus,
    SessionPart,
    SessionRole,
    Status,
    StatusChange,
)
from participants.paper_checks import PDF, ascii_slug, safe_display_name
from participants.papers import is_late

from .models import (
    Deadline,
    DeadlineKind,
    Meeting,
    RoleQuota,
    Room,
    Session,
    SessionKind,
    Venue,
    WorkingGroup,
)

DEMO_SLUG = "egm-social-integration-2009"
DEMO_TITLE = (
    "Expert Group Meeting on Practical Strategies to Promote Social Integration: "
    "Lessons learned from existing policies and practices"
)
ZONE = zoneinfo.ZoneInfo("Africa/Accra")
STARTS_ON = dt.date(2009, 11, 17)
PAPER_DUE_ON = dt.date(2009, 11, 5)
# Calendar UIDs of the demo sessions are derived from this, so they survive reloads.
UID_NAMESPACE = uuid.UUID("6f1c6b0e-9d7a-4c55-9a51-2f1a8e0c2009")

PURPOSE = (
    "The Division for Social Policy and Development (DSPD) of the United Nations Department "
    "of Economic and Social Affairs, in collaboration with the Ministry of Employment and "
    "Social Welfare of the Government of Ghana, convenes this Expert Group Meeting as part of "
    "the preparations for the 48th session of the Commission for Social Development "
    "(New York, 3-12 February 2010), whose priority theme is social integration.\n\n"
    "Drawing lessons from national experiences in various regions, the meeting reviews the "
    "challenges and opportunities of existing policies, strategies and practices that promote "
    "social integration and inclusion; examines the national mechanisms that implement them; "
    "and identifies national capacity gaps and ways to strengthen that capacity. It will "
    "adopt policy recommendations for the national, regional and international levels."
)


class DemoConflict(Exception):
    """Another meeting already uses the demo's slug; the loader refuses to overwrite it."""


@dataclass
class DemoResult:
    meeting: Meeting
    created: int
    updated: int


class _Loader:
    def __init__(self, shift: dt.timedelta) -> None:
        self.shift = shift
        self.created = 0
        self.updated = 0

    # Dates of 2009, moved by the shift.
    def date(self, day: dt.date) -> dt.date:
        return day + self.shift

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local wall-clock time in Accra on a 2009 day, moved by the shift."""
        return dt.datetime.combine(self.date(day), dt.time(hour, minute), tzinfo=ZONE)

    def upsert(self, model, lookup: dict, values: dict):
        """Create the row, or bring it to ``values``; saves only when something differs."""
        instance = model._default_manager.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean()
            instance.save()
            self.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.full_clean()
            instance.save()
            self.updated += 1
        return instance


def shift_for(today: dt.date | None) -> dt.timedelta:
    """Whole days that move the paper deadline (5 November 2009) to ten days after ``today``."""
    if today is None:
        return dt.timedelta(0)
    return today + dt.timedelta(days=10) - PAPER_DUE_ON


def load_demo(*, today: dt.date | None = None) -> DemoResult:
    """Load (or bring back to its defined state) the Accra demo meeting.

    Writes Venue, Room, Meeting, RoleQuota, WorkingGroup, Deadline, Session, Participant,
    StatusChange, Registration, SessionRole, Paper and PaperVersion rows in one transaction,
    and the papers' PDF files to the default (private) storage; sends no mail.
    Raises ``DemoConflict`` (nothing written) when the demo's slug belongs to another
    meeting: another title, or the same title with other dates and not made by this loader.
    """
    loader = _Loader(shift_for(today))
    with transaction.atomic():
        existing = Meeting.objects.select_for_update().filter(slug=DEMO_SLUG).first()
        if existing is not None and not _is_demo(existing, loader):
            raise DemoConflict(
                f"A meeting with the slug '{DEMO_SLUG}' already exists "
                f"('{existing.title}', starting {existing.starts_on:%d %B %Y}) and is not the "
                f"demo meeting. Nothing was changed. Delete or rename that meeting in the "
                f"admin first."
            )
        meeting = _load(loader)
    return DemoResult(meeting=meeting, created=loader.created, updated=loader.updated)


def _session_uid(key: str) -> uuid.UUID:
    return uuid.uuid5(UID_NAMESPACE, f"{DEMO_SLUG}:{key}")


def _is_demo(meeting: Meeting, loader: _Loader) -> bool:
    """The meeting under the demo's slug is the demo itself (maybe loaded for another day)."""
    if meeting.title != DEMO_TITLE:
        return False
    if meeting.starts_on == loader.date(STARTS_ON):
        return True
    # Loaded with --today on another day: its sessions carry the demo's calendar UIDs.
    return Session.objects.filter(meeting=meeting, uid=_session_uid("d1-opening")).exists()


def _load(loader: _Loader) -> Meeting:
    venue = loader.upsert(
        Venue,
        {"name": "ALISA Hotel", "city": "Accra"},
        {
            "address": "North Ridge",
            "country": "GH",
            "website": "",
            "phone": "+233 30 255 0100",
        },
    )
    rooms = {
        key: loader.upsert(Room, {"venue": venue, "name": name}, {"capacity": capacity})
        for key, name, capacity in [
            ("plenary", "Plenary Hall", 60),
            ("volta", "Volta Room", 15),
            ("ashanti", "Ashanti Room", 15),
            ("osu", "Osu Room", 12),
        ]
    }
    meeting = loader.upsert(
        Meeting,
        {"slug": DEMO_SLUG},
        {
            "title": DEMO_TITLE,
            "short_title": "EGM on Social Integration, Accra 2009",
            "purpose": PURPOSE,
            "organiser": (
                "Division for Social Policy and Development (DSPD), United Nations Department "
                "of Economic and Social Affairs (UN DESA)"
            ),
            "host": "Ministry of Employment and Social Welfare, Government of Ghana",
            "venue": venue,
            "starts_on": loader.date(STARTS_ON),
            "ends_on": loader.date(dt.date(2009, 11, 19)),
            "time_zone": "Africa/Accra",
            "language": "English",
            "capacity": 35,
            "paper_min_pages": 5,
            "paper_max_pages": 10,
            "paper_roles": ["expert"],
            "paper_uploads_close_at": loader.at(dt.date(2009, 11, 16), 23, 59),
            "contact_name": "Keiko Hanazawa, Division for Social Policy and Development",
            "contact_email": "egm-social-integration@example.org",
            "contact_phone": "+1 212 555 0136",
            "website": "",
            "is_published": True,
        },
    )
    loader.upsert(RoleQuota, {"meeting": meeting, "role": "expert"}, {"limit": 14})
    groups = {
        slug: loader.upsert(
            WorkingGroup,
            {"meeting": meeting, "slug": slug},
            {"name": name, "description": description},
        )
        for slug, name, description in WORKING_GROUPS
    }
    for kind, day, roles, description in DEADLINES:
        loader.upsert(
            Deadline,
            {"meeting": meeting, "kind": kind},
            {
                "due_at": loader.at(day, 23, 59).replace(second=59),
                "roles": roles,
                "description": description,
            },
        )
    sessions = {}
    for key, kind, title, day, start, end, room, group, description in SESSIONS:
        sessions[key] = loader.upsert(
            Session,
            {"uid": _session_uid(key)},
            {
                "meeting": meeting,
                "kind": kind,
                "title": title,
                "description": description,
                "starts_at": loader.at(day, *start),
                "ends_at": loader.at(day, *end),
                "room": rooms[room] if room else None,
                "working_group": groups[group] if group else None,
            },
        )
    people = {}
    for index, person in enumerate(PEOPLE):
        people[person.key] = _load_person(loader, meeting, groups, index, person)
    papers = {
        demo_paper.person: _load_paper(loader, people[demo_paper.person], demo_paper)
        for demo_paper in PAPERS
    }
    load_logistics_demo(loader=loader, meeting=meeting, people=people)
    for session_key, parts in SESSION_ROLES.items():
        for order, (part, person_key) in enumerate(parts):
            loader.upsert(
                SessionRole,
                {"session": sessions[session_key], "participant": people[person_key], "part": part},
                {
                    "order": order,
                    "paper": papers.get(person_key) if part == SessionPart.PRESENTER else None,
                },
            )
    return meeting


@dataclass(frozen=True)
class DemoPaper:
    person: str
    title: str
    pages: int
    uploaded: tuple  # (2009 day, hour, minute) in Accra
    review_status: str
    consent: bool = True
    note: str = ""


def demo_paper_pdf(*, title: str, author: str, pages: int) -> bytes:
    """A small PDF of ``pages`` pages; the same bytes on every run (ReportLab's invariant)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    drawing.setTitle(title)
    drawing.setAuthor(author)
    for number in range(1, pages + 1):
        if number == 1:
            drawing.setFont("Helvetica-Bold", 14)
            drawing.drawString(72, 770, title[:80])
            drawing.setFont("Helvetica", 11)
            drawing.drawString(72, 750, author)
            drawing.drawString(72, 730, "Demo paper with fictional content.")
        drawing.setFont("Helvetica", 9)
        drawing.drawString(72, 40, f"Page {number} of {pages}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _load_paper(loader: _Loader, participant: Participant, demo: DemoPaper) -> Paper:
    """The paper and its one version; the file is written only when it is missing."""
    due_at = loader.at(PAPER_DUE_ON, 23, 59).replace(second=59)
    paper = loader.upsert(
        Paper,
        {"participant": participant},
        {
            "title": demo.title,
            "abstract": (
                f"A fictional paper for the demo meeting, {demo.pages} pages, on "
                f"{demo.title[0].lower()}{demo.title[1:]}."
            ),
            "consent_publish": demo.consent,
            "review_status": demo.review_status,
            "review_note": demo.note,
        },
    )
    data = demo_paper_pdf(title=demo.title, author=participant.formal_name, pages=demo.pages)
    uploaded_at = loader.at(*demo.uploaded)
    values = {
        "original_name": safe_display_name(f"{demo.title}.pdf", extension="pdf"),
        "content_type": PDF,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "page_count": demo.pages,
        "uploaded_at": uploaded_at,
        "is_late": is_late(uploaded_at, due_at),
    }
    version = PaperVersion.objects.filter(paper=paper, number=1).first()
    created = version is None
    if created:
        version = PaperVersion(paper=paper, number=1, **values)
        version.file.save(
            f"{ascii_slug(participant.family_name, max_length=40)}.pdf",
            ContentFile(data),
            save=False,
        )
        version.full_clean()
        version.save()
        loader.created += 1
    else:
        changed = [name for name, value in values.items() if getattr(version, name) != value]
        if not version.file.storage.exists(version.file.name):
            # The rows survived but the private files did not (a fresh var/ folder).
            version.file.save(version.file.name.rsplit("/", 1)[-1], ContentFile(data), save=False)
            changed.append("file")
        if changed:
            for name in changed:
                if name != "file":
                    setattr(version, name, values[name])
            version.full_clean()
            version.save()
            loader.updated += 1
    if paper.current_version_id != version.pk:
        # Part of making the paper on a first load; an update only when it had drifted.
        paper.current_version = version
        paper.save(update_fields=["current_version", "updated_at"])
        if not created:
            loader.updated += 1
    return paper


# The path each final status takes from the invitation list, in order.
TIMELINES = {
    Status.NOT_INVITED: [Status.NOT_INVITED],
    Status.INVITED: [Status.NOT_INVITED, Status.INVITED],
    Status.ACCEPTED: [Status.NOT_INVITED, Status.INVITED, Status.ACCEPTED],
    Status.DECLINED: [Status.NOT_INVITED, Status.INVITED, Status.DECLINED],
    Status.WAITLISTED: [Status.NOT_INVITED, Status.INVITED, Status.WAITLISTED],
    Status.REGISTERED: [Status.NOT_INVITED, Status.INVITED, Status.ACCEPTED, Status.REGISTERED],
    Status.CANCELLED: [
        Status.NOT_INVITED,
        Status.INVITED,
        Status.ACCEPTED,
        Status.REGISTERED,
        Status.CANCELLED,
    ],
    Status.ATTENDED: [
        Status.NOT_INVITED,
        Status.INVITED,
        Status.ACCEPTED,
        Status.REGISTERED,
        Status.ATTENDED,
    ],
}

STEP_NOTES = {
    Status.NOT_INVITED: "Added from the invitation list",
    Status.INVITED: "Invitation sent",
    Status.ACCEPTED: "Accepted the invitation",
    Status.DECLINED: "Declined the invitation",
    Status.WAITLISTED: "Places for observers are full; on the waiting list",
    Status.REGISTERED: "Registration completed",
    Status.CANCELLED: "Cancelled participation",
    Status.ATTENDED: "Signed in at the registration desk",
}


def _step_time(loader: _Loader, status: str, index: int) -> dt.datetime:
    """When a participant reached ``status``: a plausible 2009 calendar, spread by index."""
    minutes = index * 17
    base = {
        Status.NOT_INVITED: loader.at(dt.date(2009, 8, 24), 10),
        Status.INVITED: loader.at(dt.date(2009, 9, 1), 9),
        Status.ACCEPTED: loader.at(dt.date(2009, 9, 8), 9),
        Status.DECLINED: loader.at(dt.date(2009, 9, 10), 11),
        Status.WAITLISTED: loader.at(dt.date(2009, 9, 14), 14),
        Status.REGISTERED: loader.at(dt.date(2009, 10, 5), 9),
        Status.CANCELLED: loader.at(dt.date(2009, 10, 28), 15),
        Status.ATTENDED: loader.at(dt.date(2009, 11, 17), 8),
    }[status]
    if status == Status.ATTENDED:
        return base + dt.timedelta(minutes=index * 2)
    spread = dt.timedelta(hours=index * 7, minutes=minutes)
    return base + spread


def _load_person(loader, meeting, groups, index: int, person: "DemoPerson") -> Participant:
    timeline = TIMELINES[person.status]
    times = {status: _step_time(loader, status, index) for status in timeline}
    participant = loader.upsert(
        Participant,
        {"meeting": meeting, "email": f"{person.key}@example.org"},
        {
            "honorific": person.honorific,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "organisation": person.organisation,
            "job_title": person.job_title,
            "country": person.country,
            "nationality": person.country,
            "gender": person.gender,
            "region": person.region,
            "role": person.role,
            "funded": person.role in ("expert", "consultant"),
            "working_group": groups[person.group] if person.group else None,
            "status": person.status,
            "status_changed_at": times[timeline[-1]],
            "invited_at": times.get(Status.INVITED),
            "responded_at": next(
                (
                    times[status]
                    for status in (Status.ACCEPTED, Status.DECLINED, Status.WAITLISTED)
                    if status in times
                ),
                None,
            ),
            "registered_at": times.get(Status.REGISTERED),
            "decline_reason": (
                "Commitments in my own country on those dates."
                if person.status == Status.DECLINED
                else ""
            ),
            "invitations_sent": 1 if Status.INVITED in times else 0,
        },
    )
    previous = ""
    for status in timeline:
        loader.upsert(
            StatusChange,
            {"participant": participant, "from_status": previous, "to_status": status},
            {"changed_at": times[status], "note": STEP_NOTES[status]},
        )
        previous = status
    if Status.REGISTERED in times and person.status != Status.CANCELLED:
        born = dt.date(1950 + index % 30, 1 + index % 12, 1 + index % 27)
        loader.upsert(
            Registration,
            {"participant": participant},
            {
                "passport_name": f"{person.family_name.upper()} {person.given_name.upper()}",
                "nationality": person.country,
                "date_of_birth": loader.date(born),
                "passport_number": f"X{4100000 + index * 7919}",
                "passport_issuing_country": person.country,
                "passport_expires_on": loader.date(dt.date(2013 + index % 5, 1 + index % 12, 15)),
                "dietary_needs": "Vegetarian" if index % 5 == 0 else "",
                "accessibility_needs": (
                    "Step-free access to meeting rooms" if index % 11 == 3 else ""
                ),
                "emergency_contact_name": "Family contact (fictional)",
                "emergency_contact_phone": f"+1 555 01{index:02d}",
                "consent_listed": index % 4 != 1,
                "consent_publish_papers": person.role == "expert",
                "completed_at": times[Status.REGISTERED],
            },
        )
    return participant


@dataclass(frozen=True)
class DemoPerson:
    key: str
    honorific: str
    given_name: str
    family_name: str
    gender: str
    country: str
    region: str
    role: str
    organisation: str
    job_title: str
    status: str
    group: str = ""


# Data tables, laid out as tables.
# fmt: off
S = Status
PEOPLE = [
    # Fourteen invited experts.
    DemoPerson("a.owusu-brempong", "Prof.", "Abena", "Owusu-Brempong", "female", "GH", "africa",
               "expert", "Institute of Social Policy Studies, Legon (fictional)",
               "Professor of Social Policy", S.REGISTERED, "policies"),
    DemoPerson("t.okafor", "Dr.", "Tunde", "Okafor", "male", "NG", "africa", "expert",
               "Centre for Inclusive Development, Lagos (fictional)", "Director",
               S.REGISTERED, "mechanisms"),
    DemoPerson("l.ferreira-matos", "Dr.", "Luisa", "Ferreira Matos", "female", "BR", "americas",
               "expert", "Institute for Applied Social Research (fictional)",
               "Senior Researcher, cash transfers", S.REGISTERED, "policies"),
    DemoPerson("r.sankaran", "Dr.", "Ravi", "Sankaran", "male", "IN", "asia", "expert",
               "Council for Social Development Studies (fictional)", "Fellow",
               S.REGISTERED, "capacity"),
    DemoPerson("m.lindqvist", "Ms.", "Maria", "Lindqvist", "female", "SE", "europe", "expert",
               "Nordic Centre for Welfare Research (fictional)", "Research Director",
               S.ATTENDED, "mechanisms"),
    DemoPerson("h.al-rashidi", "Dr.", "Hala", "Al-Rashidi", "female", "JO", "asia", "expert",
               "Arab Forum for Social Policy (fictional)", "Policy Adviser",
               S.REGISTERED, "capacity"),
    DemoPerson("j.quispe-mamani", "Mr.", "Julio", "Quispe Mamani", "male", "BO", "americas",
               "expert", "Indigenous Peoples' Policy Network (fictional)", "Coordinator",
               S.REGISTERED, "policies"),
    DemoPerson("n.mwangi", "Ms.", "Njeri", "Mwangi", "female", "KE", "africa", "expert",
               "Disability Inclusion Trust (fictional)", "Executive Director",
               S.ACCEPTED, "capacity"),
    DemoPerson("p.nguyen-thi", "Dr.", "Phuong", "Nguyen Thi", "female", "VN", "asia", "expert",
               "Institute of Labour and Social Affairs (fictional)", "Deputy Director",
               S.REGISTERED, "mechanisms"),
    DemoPerson("s.tupou", "Mr.", "Sione", "Tupou", "male", "TO", "oceania", "expert",
               "Pacific Social Protection Forum (fictional)", "Programme Manager",
               S.ACCEPTED, "policies"),
    DemoPerson("a.kowalczyk", "Prof.", "Anna", "Kowalczyk", "female", "PL", "europe", "expert",
               "University Centre for Ageing Studies (fictional)", "Professor of Sociology",
               S.REGISTERED, "mechanisms"),
    DemoPerson("d.mensah-bonsu", "Mr.", "Daniel", "Mensah-Bonsu", "male", "GH", "africa",
               "expert", "Youth Employment Observatory (fictional)", "Lead Analyst",
               S.INVITED, "capacity"),
    DemoPerson("c.delgado", "Dr.", "Carmen", "Delgado Ruiz", "female", "MX", "americas",
               "expert", "Observatory on Social Cohesion (fictional)", "Researcher",
               S.DECLINED),
    DemoPerson("y.benali", "Mr.", "Youssef", "Benali", "male", "MA", "africa", "expert",
               "Migration and Inclusion Institute (fictional)", "Senior Fellow",
               S.CANCELLED),
    # United Nations Secretariat (UN DESA/DSPD), substantive and administrative support.
    DemoPerson("r.adeyemi", "Mr.", "Richard", "Adeyemi", "male", "US", "americas",
               "un_secretariat", "DSPD, UN DESA (fictional staff)",
               "Chief, Social Integration Branch", S.REGISTERED),
    DemoPerson("k.hanazawa", "Ms.", "Keiko", "Hanazawa", "female", "JP", "asia",
               "un_secretariat", "DSPD, UN DESA (fictional staff)", "Social Affairs Officer",
               S.ATTENDED),
    DemoPerson("e.moreau", "Ms.", "Elise", "Moreau", "female", "FR", "europe", "un_secretariat",
               "DSPD, UN DESA (fictional staff)", "Associate Social Affairs Officer",
               S.REGISTERED),
    DemoPerson("v.petrov", "Mr.", "Viktor", "Petrov", "male", "BG", "europe", "un_secretariat",
               "DSPD, UN DESA (fictional staff)", "Programme Assistant", S.REGISTERED),
    DemoPerson("g.achieng", "Ms.", "Grace", "Achieng", "female", "KE", "africa",
               "un_secretariat", "UN DESA (fictional staff)", "Meetings Services Assistant",
               S.ACCEPTED),
    # United Nations Regional Commissions.
    DemoPerson("f.diallo", "Mr.", "Fodé", "Diallo", "male", "SN", "africa",
               "regional_commission", "ECA (fictional representative)", "Social Affairs Officer",
               S.REGISTERED, "mechanisms"),
    DemoPerson("s.kurosawa", "Ms.", "Sachiko", "Kurosawa", "female", "TH", "asia",
               "regional_commission", "ESCAP (fictional representative)",
               "Social Development Officer", S.REGISTERED, "capacity"),
    DemoPerson("m.haddad", "Mr.", "Marwan", "Haddad", "male", "LB", "asia",
               "regional_commission", "ESCWA (fictional representative)",
               "Chief, Social Participatory Development", S.ACCEPTED, "policies"),
    DemoPerson("a.villarreal", "Ms.", "Ana", "Villarreal", "female", "CL", "americas",
               "regional_commission", "ECLAC (fictional representative)", "Social Affairs Officer",
               S.INVITED),
    DemoPerson("j.novak", "Mr.", "Jan", "Novak", "male", "CH", "europe",
               "regional_commission", "ECE (fictional representative)", "Population Officer",
               S.DECLINED),
    # Ministry of Employment and Social Welfare and other Government of Ghana officials.
    DemoPerson("k.asante", "Hon.", "Kwabena", "Asante", "male", "GH", "africa", "government",
               "Ministry of Employment and Social Welfare, Ghana (fictional official)",
               "Deputy Minister", S.ATTENDED),
    DemoPerson("e.addo", "Mrs.", "Efua", "Addo", "female", "GH", "africa", "government",
               "Department of Social Welfare, Ghana (fictional official)", "Director",
               S.ATTENDED, "policies"),
    DemoPerson("y.boateng", "Mr.", "Yaw", "Boateng", "male", "GH", "africa", "government",
               "National Development Planning Commission, Ghana (fictional official)",
               "Senior Planning Officer", S.REGISTERED, "mechanisms"),
    DemoPerson("a.quaye", "Ms.", "Akosua", "Quaye", "female", "GH", "africa", "government",
               "Ministry of Employment and Social Welfare, Ghana (fictional official)",
               "Chief Director's Office", S.REGISTERED, "capacity"),
    DemoPerson("i.tetteh", "Mr.", "Isaac", "Tetteh", "male", "GH", "africa", "government",
               "Ministry of Finance and Economic Planning, Ghana (fictional official)",
               "Budget Analyst", S.INVITED),
    DemoPerson("b.agyeman", "Ms.", "Beatrice", "Agyeman", "female", "GH", "africa", "government",
               "Ghana Statistical Service (fictional official)", "Statistician",
               S.NOT_INVITED),
    # One consultant/facilitator selected by the United Nations.
    DemoPerson("o.halvorsen", "Dr.", "Olav", "Halvorsen", "male", "NO", "europe", "consultant",
               "Independent consultant (fictional)", "Facilitator and rapporteur general",
               S.REGISTERED),
    # Observers and discussants from the UN system, intergovernmental and non-governmental bodies.
    DemoPerson("s.darko", "Ms.", "Selina", "Darko", "female", "GH", "africa", "observer",
               "UNDP Accra (fictional representative)", "Programme Analyst", S.REGISTERED),
    DemoPerson("m.ouedraogo", "Mr.", "Moussa", "Ouedraogo", "male", "BF", "africa", "observer",
               "ILO Regional Office (fictional representative)", "Social Protection Specialist",
               S.WAITLISTED),
    DemoPerson("l.castellanos", "Ms.", "Lucía", "Castellanos", "other", "AR", "americas",
               "observer", "Civil Society Network for Inclusion (fictional)", "Advocacy Lead",
               S.CANCELLED),
    DemoPerson("t.fraser", "Mr.", "Thomas", "Fraser", "male", "AU", "oceania", "observer",
               "Foundation for Social Cohesion (fictional)", "Discussant", S.NOT_INVITED),
]

WORKING_GROUPS = [
    (
        "policies",
        "Working group 1: Policies for social integration",
        "Equitable distribution, social protection and cash transfers; policies for specific "
        "groups and universal, rights-based approaches, and the synergy between them.",
    ),
    (
        "mechanisms",
        "Working group 2: National mechanisms and inclusive planning",
        "Institutional, coordination, planning, budgeting, monitoring and evaluation "
        "mechanisms; participatory planning as a tool to put inclusion into practice.",
    ),
    (
        "capacity",
        "Working group 3: Capacity gaps and the knowledge base",
        "Barriers to implementation, national capacity needs, data and analysis, and a "
        "knowledge base of good practices and lessons learned.",
    ),
]

D = dt.date
DEADLINES = [
    (DeadlineKind.VISA_REQUEST, D(2009, 10, 16), [],
     "Ask for a visa support letter by this date so the embassy has time to issue the visa."),
    # Registration stays open until a week before the meeting, after the paper deadline, so
    # late invitees (and a demo dated to today) can still answer and register.
    (DeadlineKind.REGISTRATION, D(2009, 11, 10), [],
     "Complete the registration form (passport details, travel, needs)."),
    (DeadlineKind.PAPER, PAPER_DUE_ON, ["expert"],
     "Submit the 5-10 page expert paper on your agenda item."),
    (DeadlineKind.TRAVEL_DETAILS, D(2009, 11, 9), [],
     "Send your arrival and departure flights so the airport pick-up can be arranged."),
]

DAY1, DAY2, DAY3 = D(2009, 11, 17), D(2009, 11, 18), D(2009, 11, 19)
K = SessionKind
# key, kind, title, day, start, end, room, working group, description
SESSIONS = [
    ("d1-opening", K.OPENING, "Opening of the meeting", DAY1, (9, 0), (10, 0), "plenary", "",
     "Welcome by the Government of Ghana and UN DESA; objectives and organisation of work."),
    ("d1-break-am", K.BREAK, "Coffee break", DAY1, (10, 0), (10, 30), "plenary", "", ""),
    ("d1-plenary-1", K.PLENARY, "Social integration: concepts and the Copenhagen commitments",
     DAY1, (10, 30), (12, 30), "plenary", "",
     "Presentations that set the conceptual framework for the discussion."),
    ("d1-lunch", K.BREAK, "Lunch", DAY1, (12, 30), (14, 0), "", "", ""),
    ("d1-plenary-2", K.PLENARY, "Policies for social integration: lessons from national experience",
     DAY1, (14, 0), (15, 30), "plenary", "",
     "Equitable distribution, social protection and conditional cash transfers."),
    ("d1-break-pm", K.BREAK, "Coffee break", DAY1, (15, 30), (16, 0), "plenary", "", ""),
    ("d1-plenary-3", K.PLENARY, "Targeted and universal approaches", DAY1, (16, 0), (17, 30),
     "plenary", "", "Youth, older persons, persons with disabilities, indigenous peoples, "
     "migrants; universal access and rights-based approaches."),
    ("d1-reception", K.RECEPTION, "Welcome reception hosted by the Government of Ghana", DAY1,
     (18, 30), (20, 30), "", "", "Garden terrace of the hotel."),
    ("d2-plenary-1", K.PLENARY, "National mechanisms for inclusive policy", DAY2, (9, 0),
     (10, 30), "plenary", "", "Institutional, coordination, planning and budgeting mechanisms."),
    ("d2-break-am", K.BREAK, "Coffee break", DAY2, (10, 30), (11, 0), "plenary", "", ""),
    ("d2-wg1-a", K.WORKING_GROUP, "Working group 1, first session", DAY2, (11, 0), (12, 30),
     "volta", "policies", ""),
    ("d2-wg2-a", K.WORKING_GROUP, "Working group 2, first session", DAY2, (11, 0), (12, 30),
     "ashanti", "mechanisms", ""),
    ("d2-wg3-a", K.WORKING_GROUP, "Working group 3, first session", DAY2, (11, 0), (12, 30),
     "osu", "capacity", ""),
    ("d2-lunch", K.BREAK, "Lunch", DAY2, (12, 30), (14, 0), "", "", ""),
    ("d2-wg1-b", K.WORKING_GROUP, "Working group 1, second session", DAY2, (14, 0), (15, 30),
     "volta", "policies", ""),
    ("d2-wg2-b", K.WORKING_GROUP, "Working group 2, second session", DAY2, (14, 0), (15, 30),
     "ashanti", "mechanisms", ""),
    ("d2-wg3-b", K.WORKING_GROUP, "Working group 3, second session", DAY2, (14, 0), (15, 30),
     "osu", "capacity", ""),
    ("d2-break-pm", K.BREAK, "Coffee break", DAY2, (15, 30), (16, 0), "plenary", "", ""),
    ("d2-plenary-2", K.PLENARY, "Reports of the working groups", DAY2, (16, 0), (17, 30),
     "plenary", "", "Each working group reports; discussion in plenary."),
    ("d3-plenary-1", K.PLENARY, "Capacity gaps and a knowledge base for social integration", DAY3,
     (9, 0), (10, 30), "plenary", "", "Data, analysis and capacity building."),
    ("d3-break-am", K.BREAK, "Coffee break", DAY3, (10, 30), (11, 0), "plenary", "", ""),
    ("d3-wg1", K.WORKING_GROUP, "Working group 1: drafting recommendations", DAY3, (11, 0),
     (12, 30), "volta", "policies", ""),
    ("d3-wg2", K.WORKING_GROUP, "Working group 2: drafting recommendations", DAY3, (11, 0),
     (12, 30), "ashanti", "mechanisms", ""),
    ("d3-wg3", K.WORKING_GROUP, "Working group 3: drafting recommendations", DAY3, (11, 0),
     (12, 30), "osu", "capacity", ""),
    ("d3-lunch", K.BREAK, "Lunch", DAY3, (12, 30), (14, 0), "", "", ""),
    ("d3-closing", K.CLOSING, "Closing plenary: conclusions and recommendations", DAY3, (14, 0),
     (16, 0), "plenary", "",
     "Adoption of the conclusions and policy recommendations; next steps for the final report."),
]

P = SessionPart
SESSION_ROLES = {
    "d1-opening": [(P.CHAIR, "k.asante"), (P.SPEAKER, "r.adeyemi"), (P.SPEAKER, "s.darko"),
                   (P.FACILITATOR, "o.halvorsen")],
    "d1-plenary-1": [(P.CHAIR, "r.adeyemi"), (P.PRESENTER, "a.owusu-brempong"),
                     (P.PRESENTER, "m.lindqvist"), (P.PRESENTER, "r.sankaran"),
                     (P.RAPPORTEUR, "e.moreau")],
    "d1-plenary-2": [(P.CHAIR, "e.addo"), (P.PRESENTER, "l.ferreira-matos"),
                     (P.PRESENTER, "t.okafor"), (P.PRESENTER, "s.tupou"),
                     (P.RAPPORTEUR, "k.hanazawa")],
    "d1-plenary-3": [(P.CHAIR, "f.diallo"), (P.PRESENTER, "j.quispe-mamani"),
                     (P.PRESENTER, "n.mwangi"), (P.PRESENTER, "a.kowalczyk"),
                     (P.RAPPORTEUR, "e.moreau")],
    "d2-plenary-1": [(P.CHAIR, "s.kurosawa"), (P.PRESENTER, "p.nguyen-thi"),
                     (P.PRESENTER, "h.al-rashidi"), (P.PRESENTER, "y.boateng"),
                     (P.RAPPORTEUR, "k.hanazawa")],
    "d2-wg1-a": [(P.CHAIR, "l.ferreira-matos"), (P.RAPPORTEUR, "j.quispe-mamani")],
    "d2-wg2-a": [(P.CHAIR, "m.lindqvist"), (P.RAPPORTEUR, "p.nguyen-thi")],
    "d2-wg3-a": [(P.CHAIR, "r.sankaran"), (P.RAPPORTEUR, "h.al-rashidi")],
    "d2-wg1-b": [(P.CHAIR, "l.ferreira-matos"), (P.RAPPORTEUR, "j.quispe-mamani")],
    "d2-wg2-b": [(P.CHAIR, "m.lindqvist"), (P.RAPPORTEUR, "p.nguyen-thi")],
    "d2-wg3-b": [(P.CHAIR, "r.sankaran"), (P.RAPPORTEUR, "h.al-rashidi")],
    "d2-plenary-2": [(P.CHAIR, "r.adeyemi"), (P.SPEAKER, "j.quispe-mamani"),
                     (P.SPEAKER, "p.nguyen-thi"), (P.SPEAKER, "h.al-rashidi"),
                     (P.FACILITATOR, "o.halvorsen")],
    "d3-plenary-1": [(P.CHAIR, "e.addo"), (P.PRESENTER, "d.mensah-bonsu"),
                     (P.PRESENTER, "a.quaye"), (P.RAPPORTEUR, "k.hanazawa")],
    "d3-wg1": [(P.FACILITATOR, "o.halvorsen"), (P.RAPPORTEUR, "j.quispe-mamani")],
    "d3-wg2": [(P.CHAIR, "m.lindqvist"), (P.RAPPORTEUR, "p.nguyen-thi")],
    "d3-wg3": [(P.CHAIR, "r.sankaran"), (P.RAPPORTEUR, "h.al-rashidi")],
    "d3-closing": [(P.CHAIR, "k.asante"), (P.SPEAKER, "r.adeyemi"),
                   (P.FACILITATOR, "o.halvorsen"), (P.RAPPORTEUR, "k.hanazawa")],
}

R = ReviewStatus
# Six of the eleven experts who will attend have sent their paper; three are published.
PAPERS = [
    DemoPaper("a.owusu-brempong", "Social protection floors and social integration in West Africa",
              8, (dt.date(2009, 11, 2), 14, 20), R.PUBLISHED),
    DemoPaper("m.lindqvist", "Universal welfare and inclusion: lessons from the Nordic countries",
              9, (dt.date(2009, 11, 4), 10, 5), R.PUBLISHED),
    DemoPaper("t.okafor", "National mechanisms for social integration in Nigeria",
              6, (dt.date(2009, 11, 3), 16, 45), R.PUBLISHED),
    DemoPaper("r.sankaran", "Cash transfers and social cohesion in South Asia",
              7, (dt.date(2009, 11, 5), 23, 40), R.ACCEPTED),
    DemoPaper("l.ferreira-matos", "Participatory budgeting as an instrument of inclusion",
              12, (dt.date(2009, 11, 6), 9, 15), R.NEEDS_REVISION,
              note="Please shorten the paper to at most 10 pages."),
    DemoPaper("h.al-rashidi", "Social dialogue and inclusion in the Arab region",
              5, (dt.date(2009, 11, 5), 18, 0), R.RECEIVED, consent=False),
]
# fmt: on
