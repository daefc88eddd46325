"""The audit log as organisers read it: who changed a record, when, and from what to what.

Audited models keep every save in a history table of django-simple-history
(``history = HistoricalRecords(...)`` on the model). The acting user comes from the request
(``simple_history.middleware.HistoryRequestMiddleware``) or, in services that are told who
acts (``changed_by``, ``by``), from ``instance._history_user``; a service's note goes in
``instance._change_reason``. Fields holding secrets or personal data that is deleted on a
schedule (passport numbers, dates of birth, emergency contacts, email bodies with sign-in
links) are listed in ``excluded_fields`` and never copied.

The history tables have no page that writes to them: organisers read them through
``entries`` (the "History" sections of the organiser pages), and the admin registers no
historical model. To audit another model: add ``history = HistoricalRecords(excluded_fields=
[...])`` to it, make the migration, and pass ``Model.history.filter(...)`` to ``entries`` on
its organiser page, rendering ``agenda/_history.html`` (docs/privacy.md lists them).

Pure reads; knows no app's models.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping fields whose change says nothing an organiser acts on, and the record's owner
# (its meeting, its participant), which never changes and is the page the history is on.
_UNSHOWN = frozenset({"id", "created_at", "updated_at", "meeting", "participant"})


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str
    record: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return "-"
    if model_field.choices:
        labels = {str(key): str(label) for key, label in model_field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    if model_field.is_relation:
        return f"#{value}"
    return str(value)


def _fields(historical_model) -> list:
    return [
        model_field
        for model_field in historical_model.tracked_fields
        if model_field.name not in _UNSHOWN
    ]


def entries(*histories: QuerySet) -> list:
    """Every historical row of the given querysets as an ``Entry``, newest first.

    Each row is compared with the previous row of the same object in its queryset, so pass
    whole histories of the objects shown. One query per history.
    """
    found: list[Entry] = []
    for history in histories:
        model = history.model
        record = str(model.instance_type._meta.verbose_name).capitalize()
        fields = _fields(model)
        previous: dict = {}
        rows = history.select_related("history_user").order_by("history_date", "history_id")
        for row in rows:
            object_id = row.id
            before = previous.get(object_id)
            changes = []
            for model_field in fields:
                name = model_field.attname
                after_value = getattr(row, name)
                before_value = getattr(before, name) if before is not None else None
                if row.history_type == "-" or (before is not None and before_value == after_value):
                    continue
                if before is None and after_value in (None, ""):
                    continue
                changes.append(
                    Change(
                        field=str(model_field.verbose_name).capitalize(),
                        before=_shown(model_field, before_value) if before is not None else "-",
                        after=_shown(model_field, after_value),
                    )
                )
            previous[object_id] = row
            reason = row.history_change_reason or ""
            if row.history_type == "~" and not changes and not reason:
                continue  # only a field kept out of the history changed (a link's token)
            user = row.history_user
            found.append(
                Entry(
                    at=row.history_date,
                    who=user.email if user is not None else "system",
                    record=record,
                    action=ACTIONS.get(row.history_type, row.history_type),
                    reason=reason,
                    changes=changes,
                )
            )
    found.sort(key=lambda entry: entry.at, reverse=True)
    return found
