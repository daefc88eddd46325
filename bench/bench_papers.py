"""Papers: the organisers' tracker at 35 and 2,000 participants (same query count), and
the ZIP of 100 current papers streamed (peak memory beside the archive's size)."""

import datetime as dt
import os
import tracemalloc

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from agenda.models import Deadline, DeadlineKind, Meeting
from bench.measure import measure, report
from participants.models import Paper, PaperVersion, Participant, Role, Status, User

PAPER_BYTES = 400 * 1024


def _meeting(slug: str) -> tuple[Meeting, User]:
    meeting = Meeting.objects.create(
        slug=slug,
        title="Practical Strategies to Promote Social Integration",
        purpose="Benchmark meeting.",
        organiser="DSPD, UN DESA",
        starts_on=dt.date(2009, 11, 17),
        ends_on=dt.date(2009, 11, 19),
        time_zone="Africa/Accra",
        paper_roles=["expert"],
    )
    Deadline.objects.create(
        meeting=meeting, kind=DeadlineKind.PAPER, due_at=meeting.end_of_day(dt.date(2009, 11, 5))
    )
    organiser = User.objects.create_user(f"organiser-{slug}@example.org")
    meeting.organisers.add(organiser)
    return meeting, organiser


def _participants(meeting: Meeting, count: int) -> None:
    """``count`` registered participants, two in five experts; every other expert has a paper."""
    people = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"p{index}@{meeting.slug}.example.org",
            given_name=f"Given{index}",
            family_name=f"Family{index:05d}",
            organisation="University of Ghana",
            role=Role.EXPERT if index % 5 < 2 else Role.OBSERVER,
            status=Status.REGISTERED,
        )
        for index in range(count)
    )
    experts = [person for person in people if person.role == Role.EXPERT]
    papers = Paper.objects.bulk_create(
        Paper(participant=person, title=f"Strategies for social integration {person.family_name}")
        for person in experts[::2]
    )
    versions = []
    for paper in papers:
        versions.append(
            PaperVersion(
                paper=paper,
                number=1,
                file=f"papers/bench/{paper.pk}.pdf",
                original_name="paper.pdf",
                content_type="application/pdf",
                size=PAPER_BYTES,
                sha256=f"{paper.pk:064d}",
                page_count=7,
                uploaded_at=dt.datetime(2009, 11, 3, tzinfo=dt.UTC),
            )
        )
    PaperVersion.objects.bulk_create(versions)
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"])


def _tracker(size: int) -> int:
    meeting, organiser = _meeting(f"bench-tracker-{size}")
    _participants(meeting, size)
    client = Client()
    client.force_login(organiser)
    url = reverse("papers:tracker", kwargs={"slug": meeting.slug})
    millis, queries = measure(lambda: client.get(url), repeat=3 if size > 100 else 7)
    report(f"papers tracker, {size} participants", millis, queries)
    return queries


def _zip(count: int) -> None:
    meeting, organiser = _meeting("bench-zip")
    for index in range(count):
        person = Participant.objects.create(
            meeting=meeting,
            email=f"z{index}@example.org",
            given_name="Ama",
            family_name=f"Author{index:03d}",
            role=Role.EXPERT,
            status=Status.REGISTERED,
        )
        paper = Paper.objects.create(participant=person, title=f"Social integration paper {index}")
        data = b"%PDF-1.7\n" + os.urandom(PAPER_BYTES)  # incompressible, like real PDFs
        version = PaperVersion(
            paper=paper,
            number=1,
            original_name="paper.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=f"{index:064d}",
            page_count=7,
            uploaded_at=dt.datetime(2009, 11, 3, tzinfo=dt.UTC),
        )
        version.file.save("paper.pdf", ContentFile(data), save=False)
        version.save()
        paper.current_version = version
        paper.save(update_fields=["current_version"])
    client = Client()
    client.force_login(organiser)
    url = reverse("papers:archive", kwargs={"slug": meeting.slug})
    tracemalloc.start()
    response = client.get(url)
    total = sum(len(chunk) for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"ZIP of {count} current papers: {total / 1048576:.1f} MB streamed, "
        f"peak traced memory {peak / 1048576:.2f} MB",
        flush=True,
    )


def run() -> None:
    small = _tracker(35)
    large = _tracker(2000)
    print(
        f"tracker queries at 35 and 2,000 participants: {small} and {large} "
        f"({'equal' if small == large else 'NOT EQUAL'})",
        flush=True,
    )
    _zip(100)
