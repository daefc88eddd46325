"""Admin for meetings, venues and the programme; organisers see only their own meetings."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .. import services
from ..models import (
    AgendaChange,
    Deadline,
    Meeting,
    RoleQuota,
    Room,
    Session,
    SessionStatus,
    Venue,
    WorkingGroup,
)
from .scope import (
    MeetingScopedAdmin,
    MeetingScopedMixin,
    editable_venues_for,
    may_change_venue,
    rooms_for,
    venues_for,
)


class MeetingZoneMixin:
    """Edit times in the meeting's own zone: a session at 09:00 in Accra reads 09:00.

    The change form renders and parses every date-time inside the meeting's zone, and its
    lists show a local column with the zone named.
    """

    def meeting_of(self, obj) -> Meeting | None:
        return obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        meeting = self.meeting_of(obj) if obj is not None else None
        if meeting is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            self.message_user(
                request, f"Times on this page are {meeting.zone_label()}.", messages.INFO
            )
        with timezone.override(meeting.zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render now: a TemplateResponse would otherwise render after the zone is reset.
            if hasattr(response, "render"):
                response.render()
        return response


def _local(meeting: Meeting, moment) -> str:
    local = meeting.local(moment)
    return f"{local:%a %d %b %Y %H:%M} {local.tzname()}"


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0

    # Rooms follow their venue: changed only by those who may change the venue.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_change_venue(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_change_venue(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_change_venue(request.user, obj)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    """Venues an organiser's meetings use or that they added; shared ones are read-only."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "city", "country", "phone"]
    list_filter = ["country"]
    search_fields = ["name", "city", "address"]
    inlines = [RoomInline]

    def get_queryset(self, request):
        return venues_for(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_change_venue(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_change_venue(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.venue_changed(venue_id=form.instance.pk)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "venue", "capacity"]
    list_filter = [("venue", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["venue"]
    search_fields = ["name", "venue__name", "venue__city"]
    autocomplete_fields = ["venue"]

    def get_queryset(self, request):
        return rooms_for(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        venue = obj.venue if obj is not None else None
        return super().has_change_permission(request, obj) and may_change_venue(request.user, venue)

    def has_delete_permission(self, request, obj=None):
        venue = obj.venue if obj is not None else None
        return super().has_delete_permission(request, obj) and may_change_venue(request.user, venue)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            # A room is added only to a venue the organiser may change.
            kwargs["queryset"] = editable_venues_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        previous = Room.objects.filter(pk=obj.pk).values_list("venue_id", flat=True).first()
        super().save_model(request, obj, form, change)
        for venue_id in {previous, obj.venue_id} - {None}:
            services.venue_changed(venue_id=venue_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.venue_changed(venue_id=obj.venue_id)


class DeadlineInline(MeetingScopedMixin, admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["kind", "due_at", "roles", "description", "sequence"]
    readonly_fields = ["sequence"]


class RoleQuotaInline(MeetingScopedMixin, admin.TabularInline):
    model = RoleQuota
    extra = 0


class WorkingGroupInline(MeetingScopedMixin, admin.TabularInline):
    model = WorkingGroup
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class SessionAdminForm(forms.ModelForm):
    """Applies the programme's rules (times inside the meeting, no double-booked room)."""

    class Meta:
        model = Session
        fields = [
            "meeting",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "room",
            "working_group",
            "status",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.instance.meeting_id is None:
            return
        if self.instance.status == SessionStatus.CANCELLED:
            return
        try:
            services.validate_session(meeting=self.instance.meeting, session=self.instance)
        except ValidationError as error:
            self._update_errors(error)


def save_session_through_services(model_admin, request, obj, changed_data, change) -> None:
    """Create, change or cancel a session edited in the admin through the programme services:
    their checks (room at the meeting's venue and free) hold, SEQUENCE rises, changes are
    mailed."""
    if not change:
        result = services.create_session(
            meeting=obj.meeting,
            **{name: getattr(obj, name) for name in services.SESSION_FIELDS},
        )
        obj.pk, obj.uid = result.session.pk, result.session.uid
    elif "status" in changed_data and obj.status == SessionStatus.CANCELLED:
        services.cancel_session(session=obj)
        return
    else:
        changes = {
            name: getattr(obj, name) for name in services.SESSION_FIELDS if name in changed_data
        }
        if "status" in changed_data:
            # Reinstating a cancelled session is a change like any other.
            changes["status"] = obj.status
        result = services.update_session(session=obj, **changes)
    for warning in result.warnings:
        model_admin.message_user(request, warning, messages.WARNING)


class SessionInline(MeetingScopedMixin, admin.TabularInline):
    """Sessions on the meeting's page follow the same rules as on their own page."""

    model = Session
    form = SessionAdminForm
    extra = 0
    fields = ["kind", "title", "starts_at", "ends_at", "room", "working_group", "status"]
    show_change_link = True
    autocomplete_fields = ["room", "working_group"]


@admin.register(Meeting)
class MeetingAdmin(MeetingZoneMixin, MeetingScopedAdmin):
    meeting_lookup = "pk"
    # A website typed without a scheme is taken as https://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "slug", "starts_on", "ends_on", "venue", "capacity", "is_published"]
    list_filter = ["is_published", "time_zone"]
    list_select_related = ["venue"]
    search_fields = ["title", "short_title", "slug", "organiser", "host"]
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ["short_title"]}
    autocomplete_fields = ["venue", "organisers"]
    readonly_fields = ["uid", "version", "created_at", "updated_at"]
    inlines = [DeadlineInline, RoleQuotaInline, WorkingGroupInline, SessionInline]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "purpose", "is_published"]}),
        ("Who", {"fields": ["organiser", "host", "organisers"]}),
        ("Where and when", {"fields": ["venue", "starts_on", "ends_on", "time_zone", "language"]}),
        ("Participation", {"fields": ["capacity", "agenda_announced_at"]}),
        ("Personal data", {"fields": ["personal_data_retention_days"]}),
        (
            "Papers",
            {
                "fields": [
                    "paper_roles",
                    "paper_min_pages",
                    "paper_max_pages",
                    "paper_max_bytes",
                    "paper_uploads_close_at",
                ]
            },
        ),
        ("Contact", {"fields": ["contact_name", "contact_email", "contact_phone", "website"]}),
        ("Mail", {"fields": ["hold_bulk_mail_over"]}),
        (
            "Calendar feeds",
            {"fields": ["feed_refresh_minutes", "feed_refresh_minutes_during_meeting"]},
        ),
        ("Record", {"fields": ["uid", "version", "created_at", "updated_at"]}),
    ]

    def save_formset(self, request, form, formset, change):
        """Deadlines and sessions edited here are saved through the services, so SEQUENCE
        rises and the programme's rules apply."""
        if formset.model is Deadline:
            for deadline in formset.save(commit=False):
                services.save_deadline(deadline=deadline)
            for deadline in formset.deleted_objects:
                deadline.delete()
            return None
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        for session in formset.save(commit=False):
            session_form = next(f for f in formset.forms if f.instance is session)
            adding = session_form not in formset.initial_forms
            save_session_through_services(
                self, request, session, session_form.changed_data, not adding
            )
        for session in formset.deleted_objects:
            session.delete()
        return None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only an administrator names organisers: the user list is not the organiser's to read.
            fields.append("organisers")
        return fields


@admin.register(Deadline)
class DeadlineAdmin(MeetingZoneMixin, MeetingScopedAdmin):
    list_display = ["kind", "meeting", "local_due_at", "description"]
    list_filter = ["kind", ("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["description", "meeting__title"]
    date_hierarchy = "due_at"
    autocomplete_fields = ["meeting"]
    readonly_fields = ["uid", "sequence", "updated_at"]

    def save_model(self, request, obj, form, change):
        """Save through the service, so SEQUENCE rises when the time moves."""
        services.save_deadline(deadline=obj)

    @admin.display(description="Due (meeting's time)", ordering="due_at")
    def local_due_at(self, deadline: Deadline) -> str:
        return _local(deadline.meeting, deadline.due_at)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(MeetingScopedAdmin):
    list_display = ["name", "meeting", "slug"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["meeting"]


@admin.register(RoleQuota)
class RoleQuotaAdmin(MeetingScopedAdmin):
    list_display = ["role", "limit", "meeting"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["role"]
    autocomplete_fields = ["meeting"]


@admin.register(Session)
class SessionAdmin(MeetingZoneMixin, MeetingScopedAdmin):
    form = SessionAdminForm
    list_display = ["title", "kind", "local_starts_at", "room", "working_group", "status"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "kind", "status"]
    list_select_related = ["room", "working_group", "meeting"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["meeting", "room", "working_group"]
    readonly_fields = ["uid", "sequence", "created_at", "updated_at"]
    # People's parts are added inline by the participants app's admin.
    inlines = []

    @admin.display(description="Starts (meeting's time)", ordering="starts_at")
    def local_starts_at(self, session: Session) -> str:
        return _local(session.meeting, session.starts_at)

    def save_model(self, request, obj, form, change):
        """Save through the programme services, so SEQUENCE rises and changes are mailed."""
        save_session_through_services(self, request, obj, form.changed_data, change)


@admin.register(AgendaChange)
class AgendaChangeAdmin(MeetingScopedAdmin):
    """Changes to an announced agenda and whether their batch has been mailed; read-only."""

    list_display = ["session", "kind", "recorded_at", "notified_at", "meeting"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["session", "meeting"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
