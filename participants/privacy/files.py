"""Files encrypted at rest: what is written to disk is a Fernet token, read back decrypted.

For files that print personal data (a visa letter carries the passport number): a copy of
the disk or of its backups shows nothing. The keys are ``FIELD_ENCRYPTION_KEYS``, the same
as the encrypted fields', and ``rotate_encryption_keys`` re-encrypts these files too.
"""

import os
from collections.abc import Callable, Iterable

from cryptography.fernet import InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from ..fields import fernet

# Every Fernet token starts with its version byte 0x80, "gAAAAA" once base64-encoded.
TOKEN_PREFIX = b"gAAAAA"


class EncryptedFileSystemStorage(FileSystemStorage):
    """A ``FileSystemStorage`` whose files hold Fernet tokens of their content.

    A file written before encryption was turned on (it does not start like a token) is read
    as it is, and ``reencrypt`` encrypts it. ``size`` is the size on disk, the token's.
    """

    def _save(self, name, content):
        content.seek(0)
        token = fernet().encrypt(content.read())
        return super()._save(name, ContentFile(token))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted files are written with save(), never opened to write.")
        with super()._open(name, "rb") as handle:
            stored = handle.read()
        return ContentFile(_decrypt(stored), name=name)

    def reencrypt(self, name: str) -> bool:
        """Write ``name`` again as a token of the newest key; False when there is no such file.

        A plain file (written before encryption) is encrypted; a token is rotated in place.
        """
        if not self.exists(name):
            return False
        path = self.path(name)
        with open(path, "rb") as handle:
            stored = handle.read()
        if stored.startswith(TOKEN_PREFIX):
            try:
                token = fernet().rotate(stored)
            except InvalidToken as exc:
                raise _unreadable() from exc
        else:
            token = fernet().encrypt(stored)
        # Written beside and renamed over: a crash never leaves a half-written letter.
        partial = f"{path}.rotating"
        with open(partial, "wb") as handle:
            handle.write(token)
        os.replace(partial, path)
        return True


def _decrypt(stored: bytes) -> bytes:
    if not stored.startswith(TOKEN_PREFIX):
        return stored
    try:
        return fernet().decrypt(stored)
    except InvalidToken as exc:
        raise _unreadable() from exc


def _unreadable() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "An encrypted file cannot be read with FIELD_ENCRYPTION_KEYS: keep the old key in "
        "the list after rotating."
    )


class _LazyEncryptedStorage(LazyObject):
    # Like Django's ``default_storage``: looked up on first use and again after a change of
    # STORAGES (the tests' own folders), where a model field would keep the first one.
    def _setup(self):
        self._wrapped = storages["encrypted"]


_encrypted = _LazyEncryptedStorage()


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        _encrypted._wrapped = empty


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The storage of files that print personal data (``STORAGES["encrypted"]``).

    A callable, so that a model's field names it in migrations, not the settings' location.
    """
    return _encrypted


# Names, in the encrypted storage, of other apps' files to re-encrypt when the keys rotate:
# each function returns the names of its files (say, logistics' visa letters).
_encrypted_files: list[Callable[[], Iterable[str]]] = []


def register_encrypted_files(fn: Callable[[], Iterable[str]]) -> None:
    """Have ``rotate_encrypted_files`` re-encrypt the files ``fn()`` names (from ``ready()``)."""
    if fn not in _encrypted_files:
        _encrypted_files.append(fn)


def rotate_encrypted_files() -> int:
    """Re-encrypt every registered file with the newest key; returns how many files."""
    storage = encrypted_storage()
    return sum(storage.reencrypt(name) for names in _encrypted_files for name in names())
