"""Model fields whose values are encrypted at rest (Fernet, keys from settings)."""

import datetime as dt
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
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


class EncryptedDateField(EncryptedTextField):
    """A date stored as a Fernet token of its ISO form; read back as a ``datetime.date``.

    Like ``EncryptedTextField`` it cannot be filtered or ordered on, and null means unknown
    (or deleted when the meeting's retention period ended).
    """

    def to_python(self, value):
        if value in (None, "") or isinstance(value, dt.date):
            return value or None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError("Enter a valid date.", code="invalid") from exc

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return fernet().encrypt(value.isoformat().encode()).decode("ascii")

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return dt.date.fromisoformat(value) if value else None

    def get_internal_type(self) -> str:
        return "TextField"

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        # Field's own formfield, not TextField's (which would make it a textarea).
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})
