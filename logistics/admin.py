"""Admin for visa letters, travel plans and hotel stays, scoped to one's meetings."""

from django.contrib import admin
from django.db.models import Q

from agenda.admin.scope import MeetingScopedAdmin, scope_to_organiser, venues_for
from agenda.models import Venue

from .models import HotelBooking, TravelPlan, VisaLetter


@admin.register(VisaLetter)
class VisaLetterAdmin(MeetingScopedAdmin):
    meeting_lookup = "participant__meeting"
    list_display = ["reference", "participant", "embassy", "issued_at", "revoked_at"]
    list_filter = [
        ("participant__meeting", admin.RelatedOnlyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["participant"]
    search_fields = ["reference", "embassy", "participant__family_name", "participant__email"]
    date_hierarchy = "issued_at"
    autocomplete_fields = ["participant"]
    readonly_fields = ["reference", "verification_code", "issued_at", "issued_by"]


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
    ]
    list_filter = [("participant__meeting", admin.RelatedOnlyFieldListFilter), "airport_pickup"]
    list_select_related = ["participant"]
    search_fields = [
        "participant__family_name",
        "participant__email",
        "arrival_flight",
        "departure_flight",
    ]
    date_hierarchy = "arrival_at"
    autocomplete_fields = ["participant"]


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
