"""A checked upload kept while its author confirms an out-of-range page count.

The file waits in private storage under ``papers/held/<participant id>/<sha256>/<name>``:
tied to its participant, found again only by its checksum, one held file per participant
(holding a new one drops the previous). It is released once a paper is stored.
"""

import re

from django.core.files import File
from django.core.files.storage import default_storage

HELD_ROOT = "papers/held"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _folder(participant_id: int) -> str:
    return f"{HELD_ROOT}/{participant_id}"


def _remove_folder(folder: str) -> None:
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    for name in directories:
        _remove_folder(f"{folder}/{name}")


def hold(*, participant_id: int, upload: File, sha256: str, display_name: str) -> None:
    """Keep ``upload`` (already checked) for this participant, replacing any held before."""
    release(participant_id=participant_id)
    upload.seek(0)
    default_storage.save(f"{_folder(participant_id)}/{sha256}/{display_name}", File(upload))


def open_held(*, participant_id: int, sha256: str) -> File | None:
    """The participant's held file with this checksum, named as uploaded; None if none is."""
    if not _SHA256.fullmatch(sha256 or ""):
        return None
    folder = f"{_folder(participant_id)}/{sha256}"
    if not default_storage.exists(folder):
        return None
    _, files = default_storage.listdir(folder)
    if not files:
        return None
    held = default_storage.open(f"{folder}/{files[0]}", "rb")
    return File(held, name=files[0])


def release(*, participant_id: int) -> None:
    """Drop whatever file this participant has held."""
    _remove_folder(_folder(participant_id))
