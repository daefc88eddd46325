"""The participants app's part of the demo meeting: 35 fictional people with their status
histories and registrations, six expert papers (small PDFs drawn with ReportLab at load
time, into private storage) and people's parts in the sessions.

Registered in ``ParticipantsConfig.ready()``; ``agenda.demo.load_demo`` runs it after the
programme. Dates before the meeting come from ``loader.history_at``, so with ``--today``
nothing here lies in the future; nobody has attended a meeting that is still to come.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile

from agenda.demo import PAPER_DUE_ON, DemoContext, DemoLoader

from .models import (
    DeletionRequest,
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
from .papers.checks import PDF, ascii_slug, safe_display_name
from .papers.services import is_late


def load_people_and_papers(context: DemoContext) -> None:
    """Write Participant, StatusChange, Registration, Paper, PaperVersion and SessionRole
    rows (and the papers' PDF files); idempotent like the rest of the demo."""
    loader, meeting, groups = context.loader, context.meeting, context.groups
    people = context.people
    for index, person in enumerate(PEOPLE):
        people[person.key] = _load_person(loader, meeting, groups, index, person)
    papers = {
        demo_paper.person: _load_paper(loader, people[demo_paper.person], demo_paper)
        for demo_paper in PAPERS
    }
    # A pending deletion request, for the organiser's "Personal data" section to show.
    loader.upsert(
        DeletionRequest,
        {"participant": people[DELETION_REQUESTED_BY]},
        {"requested_at": loader.history_at(dt.date(2009, 11, 2), 10)},
    )
    for session_key, parts in SESSION_ROLES.items():
        for order, (part, person_key) in enumerate(parts):
            loader.upsert(
                SessionRole,
                {
                    "session": context.sessions[session_key],
                    "participant": people[person_key],
                    "part": part,
                },
                {
                    "order": order,
                    "paper": papers.get(person_key) if part == SessionPart.PRESENTER else None,
                },
            )


DELETION_REQUESTED_BY = "d.mensah-bonsu"


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


def _load_paper(loader: DemoLoader, participant: Participant, demo: DemoPaper) -> Paper:
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
    uploaded_at = loader.history_at(*demo.uploaded)
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


def _step_time(loader: DemoLoader, status: str, index: int) -> dt.datetime:
    """When a participant reached ``status``: a plausible 2009 calendar, spread by index.
    Everything before the meeting is history (``history_at``); attending is on its first day."""
    minutes = index * 17
    base = {
        Status.NOT_INVITED: loader.history_at(dt.date(2009, 8, 24), 10),
        Status.INVITED: loader.history_at(dt.date(2009, 9, 1), 9),
        Status.ACCEPTED: loader.history_at(dt.date(2009, 9, 8), 9),
        Status.DECLINED: loader.history_at(dt.date(2009, 9, 10), 11),
        Status.WAITLISTED: loader.history_at(dt.date(2009, 9, 14), 14),
        Status.REGISTERED: loader.history_at(dt.date(2009, 10, 5), 9),
        Status.CANCELLED: loader.history_at(dt.date(2009, 10, 28), 15),
        Status.ATTENDED: loader.at(dt.date(2009, 11, 17), 8),
    }[status]
    if status == Status.ATTENDED:
        return base + dt.timedelta(minutes=index * 2)
    spread = dt.timedelta(hours=index * 7, minutes=minutes)
    return base + spread


def shown_status(loader: DemoLoader, person: "DemoPerson") -> str:
    """The person's status as of the loader's day: no one has attended a meeting to come."""
    if person.status == Status.ATTENDED and not loader.meeting_held:
        return Status.REGISTERED
    return person.status


def _load_person(loader, meeting, groups, index: int, person: "DemoPerson") -> Participant:
    status_now = shown_status(loader, person)
    timeline = TIMELINES[status_now]
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
            "status": status_now,
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
    steps = list(zip(["", *timeline[:-1]], timeline, strict=True))
    # A step of another day's load (attended, before a load dated to today) is not history.
    stale = [
        change.pk
        for change in StatusChange.objects.filter(participant=participant)
        if (change.from_status, change.to_status) not in steps
    ]
    if stale:
        StatusChange.objects.filter(pk__in=stale).delete()
        loader.updated += len(stale)
    previous = ""
    for status in timeline:
        loader.upsert(
            StatusChange,
            {"participant": participant, "from_status": previous, "to_status": status},
            {"changed_at": times[status], "note": STEP_NOTES[status]},
        )
        previous = status
    if Status.REGISTERED in times and status_now != Status.CANCELLED:
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
