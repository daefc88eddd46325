"""Admin building blocks that keep a staff organiser inside the meetings they organise.

Superusers see everything. Any other staff user sees, in every admin list, form and
autocomplete, only the rows that belong to a meeting whose ``organisers`` include them;
what they may do with those rows is Django's ordinary model permissions (the
``Organisers`` group gives them).
"""

from django.contrib import admin

from ..models import Deadline, Meeting, Session, WorkingGroup


def organised_meeting_ids(user) -> frozenset[int]:
    """The ids of the meetings the user organises, read once per request."""
    cached = getattr(user, "_organised_meeting_ids", None)
    if cached is None:
        cached = frozenset(Meeting.objects.filter(organisers=user).values_list("pk", flat=True))
        user._organised_meeting_ids = cached
    return cached


def scope_to_organiser(queryset, user, lookup: str):
    """Keep the rows whose meeting (reached through ``lookup``) the user organises."""
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{lookup}__in": organised_meeting_ids(user)})


# Model -> path from it to its meeting, for narrowing foreign-key choices. Apps above
# agenda add their models from their admin module (``register_meeting_lookup``).
_MEETING_LOOKUPS: dict = {}


def register_meeting_lookup(model, lookup: str) -> None:
    """Narrow foreign keys to ``model`` to the organiser's meetings, reached by ``lookup``."""
    _MEETING_LOOKUPS[model] = lookup


def _meeting_lookups() -> dict:
    return {
        Meeting: "pk",
        Deadline: "meeting",
        WorkingGroup: "meeting",
        Session: "meeting",
    } | _MEETING_LOOKUPS


class MeetingScopedMixin:
    """For ModelAdmins and inlines: rows and foreign-key choices limited to one's meetings."""

    #: Path from the model to its meeting, e.g. ``"participant__meeting"``.
    meeting_lookup = "meeting"

    def get_queryset(self, request):
        return scope_to_organiser(super().get_queryset(request), request.user, self.meeting_lookup)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        lookup = _meeting_lookups().get(db_field.related_model)
        if lookup is not None and not request.user.is_superuser:
            kwargs["queryset"] = scope_to_organiser(
                db_field.related_model._default_manager.all(), request.user, lookup
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeetingScopedAdmin(MeetingScopedMixin, admin.ModelAdmin):
    pass
