"""Passport numbers and dates of birth kept out of logs and error reports.

``RedactPersonalData`` is a logging filter on every handler (``LOGGING`` in settings): a
message or argument that names such a field (``passport_number=...``, a dict or a form's
data with that key) has the value replaced before any handler writes it.
``PersonalDataReporterFilter`` is Django's exception reporter filter for the site
(``DEFAULT_EXCEPTION_REPORTER_FILTER``): the error emails to administrators and the debug
page hide such fields in POST data and in every frame's local variables, also where a view
forgot ``sensitive_post_parameters``.
"""

import logging
import re
from collections.abc import Mapping
from pathlib import Path

from django.views.debug import SafeExceptionReporterFilter

REDACTED = "[redacted]"
# Field names that hold personal data never to be written out: passport numbers, dates of
# birth, emergency contacts (as form fields, model fields, dict keys or keyword arguments).
PERSONAL_NAME = re.compile(r"passport_?n(?:umber|o)|birth|\bdob\b|emergency_contact", re.I)
# `passport_number=X1234`, `'date_of_birth': datetime.date(1970, 1, 2)`, `"dob": "1970-01-02"`:
# the key, a separator, then a quoted value, a call such as datetime.date(...), or a word.
# An already redacted value is matched as such, so a record filtered by two handlers reads
# the same.
_PAIR = re.compile(
    r"""(?P<key>['"]?[\w-]*(?:passport_?n(?:umber|o)|birth|\bdob|emergency_contact)[\w-]*['"]?)"""
    r"""(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>\[redacted\]|'[^']*'|"[^"]*"|[\w.]+\([^)]*\)|[^\s,;&}\]]+)""",
    re.I,
)

# The encrypted fields' module: its frames hold the plain values being encrypted or read.
_FIELDS_MODULE = str(Path("participants", "fields.py"))


def redact_text(text: str) -> str:
    """``text`` with the value after every personal-data key replaced."""
    return _PAIR.sub(lambda found: f"{found['key']}{found['sep']}{REDACTED}", text)


def redact_value(value):
    """A copy of a mapping (dicts, QueryDicts) with personal-data keys' values replaced."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if PERSONAL_NAME.search(str(key)) else redact_value(item)
            for key, item in value.items()
        }
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactPersonalData(logging.Filter):
    """Logging filter: rewrites the record so no handler sees the personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            if isinstance(record.args, Mapping):
                record.args = redact_value(record.args)
            else:
                record.args = tuple(redact_value(arg) for arg in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call: logging reports it, with nothing formatted
        # Redact the formatted text: an object's repr, or the message itself, may name a value.
        record.msg, record.args = redact_text(message), ()
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Django's safe filter, also hiding personal data by name, always (DEBUG or not)."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not parameters:
            return parameters
        cleansed = parameters.copy()
        for key in cleansed:
            if PERSONAL_NAME.search(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def cleanse_special_types(self, request, value):
        value = super().cleanse_special_types(request, value)
        if isinstance(value, Mapping) and not isinstance(value, dict):
            value = dict(value)
        if isinstance(value, dict):
            return {
                key: self.cleansed_substitute
                if PERSONAL_NAME.search(str(key))
                else self.cleanse_special_types(request, item)
                for key, item in value.items()
            }
        return value

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        code = tb_frame.f_code
        if PERSONAL_NAME.search(code.co_name) or code.co_filename.endswith(_FIELDS_MODULE):
            # A validator or an encrypted field's method: its plain arguments are the data.
            return [(name, self.cleansed_substitute) for name, _value in variables]
        return [
            (name, self.cleansed_substitute if PERSONAL_NAME.search(name) else value)
            for name, value in variables
        ]
