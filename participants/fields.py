"""Model fields whose values are encrypted at rest (Fernet, keys from settings)."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "Environment variable FIELD_ENCRYPTION_KEYS must list Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: the database and its backups never see the value.

    It cannot be searched or filtered on; that is the point.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(value.encode()).decode("ascii")

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode("ascii")).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: "
                "keep the old key in the list after rotating."
            ) from exc
