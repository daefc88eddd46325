import pytest

from participants.models import Status
from tests.factories import (
    DeadlineFactory,
    MeetingFactory,
    ParticipantFactory,
    UserFactory,
)


@pytest.fixture
def storage_root(settings, tmp_path):
    """Private storage in a fresh folder, so a test can see every file that was written."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def stored_files(root) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(slug="accra-2009")
    DeadlineFactory(meeting=meeting)
    return meeting


@pytest.fixture
def organiser(meeting):
    user = UserFactory(email="organiser@example.org")
    meeting.organisers.add(user)
    return user


@pytest.fixture
def expert(meeting):
    return ParticipantFactory(
        meeting=meeting,
        status=Status.REGISTERED,
        user=UserFactory(email="kofi@example.org"),
        email="kofi@example.org",
        given_name="Kofi",
        family_name="Mensah",
        organisation="University of Ghana",
    )
