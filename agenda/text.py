"""Names and titles as stored: without invisible characters that change how text reads.

Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) can make a name read
backwards in a list, an email or a badge ("Trojan Source"); zero-width characters
(U+200B-200F, U+2060-2064, U+FEFF, U+180E, U+061C) make two names that look the same
compare different, so a duplicate slips past an import. They are removed from every name
and title where it is stored: a model field that cleans on validation and on every write
(``CleanCharField``), its form field, and the services and import that check a value
before a model sees it all use ``strip_invisible``.
"""

from django import forms
from django.db import models

INVISIBLE = frozenset(
    [
        *map(chr, range(0x200B, 0x2010)),  # zero-width space/joiners, LRM, RLM
        *map(chr, range(0x202A, 0x202F)),  # LRE, RLE, PDF, LRO, RLO
        *map(chr, range(0x2060, 0x2065)),  # word joiner, invisible operators
        *map(chr, range(0x2066, 0x206A)),  # LRI, RLI, FSI, PDI
        "\ufeff",  # zero-width no-break space (byte-order mark)
        "\u180e",  # Mongolian vowel separator
        "\u061c",  # Arabic letter mark
    ]
)
_REMOVE = dict.fromkeys(map(ord, INVISIBLE))


def strip_invisible(value):
    """``value`` without bidirectional controls and zero-width characters; non-text as is."""
    if not isinstance(value, str):
        return value
    return value.translate(_REMOVE)


class CleanCharFormField(forms.CharField):
    """A form's text field that drops invisible characters before its other checks."""

    def to_python(self, value):
        return super().to_python(strip_invisible(value))


class CleanCharField(models.CharField):
    """A CharField for names and titles: invisible characters never reach the database.

    Cleaned in ``full_clean`` (so "required" and the length count what remains), in model
    forms, and on every write (``save``, ``bulk_create``, ``bulk_update``, ``update``).
    Migrations see a plain CharField: the column is the same.
    """

    def to_python(self, value):
        return strip_invisible(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = strip_invisible(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return super().get_prep_value(strip_invisible(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanCharFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
