"""Test set-up shared by the whole suite: service markers, a local Celery broker, a cache and
private storage of the test's own (never those of a `make run` in the same folder), and a mail
backend that accepts only what the outbox sends.

pytest-django loads the settings before this file; the Celery broker is chosen here all the
same because Celery reads CELERY_BROKER_URL when it first connects, not at start-up.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest

# Unit tests queue tasks into memory and run them with .apply(); only the integration
# tests talk to a real broker (they configure Redis themselves). Celery reads this variable
# when it first connects, which is after this file is imported.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Calendar clients' own parsers (Thunderbird's ical.js), installed by `npm ci` in .ci/run.
CALENDAR_CLIENTS = Path(__file__).parent / "calendar_clients"


def _service_missing(marker: str) -> str | None:
    database_url = os.environ.get("DATABASE_URL", "")
    if marker == "postgres" and not database_url.startswith(("postgres", "postgresql")):
        return "needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)"
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://... (CI does)"
    if marker == "icaljs":
        if shutil.which("node") is None:
            return "needs Node.js (node) for ical.js, Thunderbird's calendar parser"
        if not (CALENDAR_CLIENTS / "node_modules" / "ical.js").is_dir():
            return "needs ical.js: run `npm ci --prefix tests/calendar_clients` (CI does)"
    return None


@pytest.fixture(autouse=True)
def _own_cache_storage_and_mailbox(settings, tmp_path_factory):
    """Settings are loaded before this file, so the test's cache, files and mail are set here."""
    settings.EMAIL_BACKEND = "tests.mail.OutboxOnlyBackend"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }
    private = str(tmp_path_factory.mktemp("private"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private, "base_url": None},
        },
        "encrypted": {
            "BACKEND": "participants.privacy.files.EncryptedFileSystemStorage",
            "OPTIONS": {"location": private, "base_url": None},
        },
    }


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "icaljs"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _service_missing(marker)
        if reason is None:
            continue
        if IN_CI:
            pytest.fail(f"CI=true but a required service is missing: {reason}", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    loud = [report for report in skipped if "SKIPPED LOUDLY" in str(report.longrepr)]
    if loud:
        terminalreporter.write_sep(
            "!", f"{len(loud)} tests skipped: services not available", red=True
        )
        reasons = sorted({str(report.longrepr[-1]) for report in loud})
        for reason in reasons:
            terminalreporter.write_line(f"  {reason}", red=True)
