"""Admin for letters, embassies, travel plans, the hotel block and stays, scoped to one's
meetings. Day-to-day work happens on the organiser pages; the admin is for corrections."""

from django.contrib import admin
from django.db.models import Q

from agenda.admin.scope import MeetingScopedAdmin, scope_to_organiser, venues_for
from agenda.models import Venue

from .models import (
    Embassy,
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterBatch,
    LetterRequest,
    LetterTemplate,
    TravelPlan,
)


@admin.register(Letter)
class LetterAdmin(MeetingScopedAdmin):
    list_display = ["reference", "kind", "participant", "embassy", "issued_at", "revoked_at"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "kind",
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["participant"]
    search_fields = ["reference", "embassy", "participant__family_name", "participant__email"]
    date_hierarchy = "issued_at"
    # Letters change only through the organiser pages (issue, revoke, re-issue).
    readonly_fields = [
        "meeting",
        "participant",
        "kind",
        "number",
        "reference",
        "embassy",
        "verification_code",
        "pdf",
        "passport_fingerprint",
        "holder_initials",
        "holder_nationality",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_reason",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(MeetingScopedAdmin):
    list_display = ["meeting", "kind", "reference_prefix", "signatory_name", "updated_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "kind"]


@admin.register(Embassy)
class EmbassyAdmin(MeetingScopedAdmin):
    list_display = ["name", "country", "meeting"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "address"]


@admin.register(LetterRequest)
class LetterRequestAdmin(MeetingScopedAdmin):
    meeting_lookup = "participant__meeting"
    list_display = ["participant", "kind", "embassy", "requested_at", "handled_at"]
    list_filter = [
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
        "kind",
        ("handled_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["participant", "embassy"]
    autocomplete_fields = ["participant"]
    raw_id_fields = ["letter"]


@admin.register(LetterBatch)
class LetterBatchAdmin(MeetingScopedAdmin):
    list_display = ["meeting", "kind", "status", "done", "total", "issued", "created_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "status"]
    readonly_fields = ["participant_ids", "failures"]


@admin.register(TravelPlan)
class TravelPlanAdmin(MeetingScopedAdmin):
    meeting_lookup = "participant__meeting"
    list_display = [
        "participant",
        "departure_city",
        "arrival_flight",
        "arrival_at",
        "departure_flight",
        "departure_at",
        "airport_pickup",
        "ticket_issued",
    ]
    list_filter = [
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
        "airport_pickup",
        "ticket_issued",
    ]
    list_select_related = ["participant"]
    search_fields = [
        "participant__family_name",
        "participant__email",
        "arrival_flight",
        "departure_flight",
    ]
    date_hierarchy = "arrival_at"
    autocomplete_fields = ["participant"]


@admin.register(HotelBlock)
class HotelBlockAdmin(MeetingScopedAdmin):
    list_display = ["meeting", "hotel", "first_night", "last_night", "rooms"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]


@admin.register(HotelBooking)
class HotelBookingAdmin(MeetingScopedAdmin):
    meeting_lookup = "participant__meeting"
    list_display = ["participant", "hotel", "check_in", "check_out", "room_type", "confirmation"]
    list_filter = [
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
        ("hotel", admin.RelatedOnlyFieldListFilter),
        "room_type",
    ]
    list_select_related = ["participant", "hotel"]
    search_fields = ["participant__family_name", "participant__email", "confirmation"]
    date_hierarchy = "check_in"
    autocomplete_fields = ["participant", "hotel"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "hotel" and not request.user.is_superuser:
            # Hotels already booked for one's own participants stay choosable.
            booked = scope_to_organiser(
                HotelBooking.objects.all(), request.user, self.meeting_lookup
            ).values("hotel")
            field.queryset = Venue.objects.filter(
                Q(pk__in=venues_for(request.user).values("pk")) | Q(pk__in=booked)
            )
        return field


@admin.register(InformationNote)
class InformationNoteAdmin(MeetingScopedAdmin):
    list_display = ["meeting", "version", "updated_at"]
    readonly_fields = ["version", "updated_by"]
