"""Admin building blocks that keep a staff organiser inside the meetings they organise.

Superusers see everything. Any other staff user sees, in every admin list, form and
autocomplete, only the rows that belong to a meeting whose ``organisers`` include them;
what they may do with those rows is Django's ordinary model permissions (the
``Organisers`` group gives them).

Venues are not one meeting's rows: an administrator may hold two meetings at one hotel.
An organiser sees the venues their meetings use and those they added themselves, with
their rooms; they may change a venue (and its rooms) only while no other organiser's
meeting uses it, since the venue shows on that meeting's public page and programme.
"""

from django.contrib import admin
from django.db.models import Q, QuerySet

from ..models import Deadline, Meeting, Room, Session, Venue, WorkingGroup


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


def venues_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The venues the user may see: those of the meetings they organise and those they added."""
    queryset = Venue.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    used = Meeting.objects.filter(pk__in=organised_meeting_ids(user)).values("venue")
    return queryset.filter(Q(pk__in=used) | Q(created_by=user))


def editable_venues_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The visible venues that no meeting outside the user's own uses."""
    if user.is_superuser:
        return Venue.objects.all() if queryset is None else queryset
    elsewhere = (
        Meeting.objects.exclude(pk__in=organised_meeting_ids(user))
        .filter(venue__isnull=False)
        .values("venue")
    )
    return venues_for(user, queryset).exclude(pk__in=elsewhere)


def may_change_venue(user, venue: Venue | None) -> bool:
    if venue is None or venue.pk is None or user.is_superuser:
        return True
    return editable_venues_for(user).filter(pk=venue.pk).exists()


def rooms_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The rooms of the venues the user may see."""
    queryset = Room.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    return queryset.filter(venue__in=venues_for(user))


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
        if db_field.related_model is Venue and not request.user.is_superuser:
            kwargs["queryset"] = venues_for(request.user)
        elif db_field.related_model is Room and not request.user.is_superuser:
            kwargs["queryset"] = rooms_for(request.user).select_related("venue")
        elif lookup is not None and not request.user.is_superuser:
            kwargs["queryset"] = scope_to_organiser(
                db_field.related_model._default_manager.all(), request.user, lookup
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeetingScopedAdmin(MeetingScopedMixin, admin.ModelAdmin):
    pass
