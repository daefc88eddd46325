"""An admin site with only the participant import/export mixin, as ParticipantAdmin wires it."""

from django.contrib import admin
from django.urls import include, path

from participants.admin_import import ParticipantImportExportMixin
from participants.models import Participant


class ParticipantAdmin(ParticipantImportExportMixin, admin.ModelAdmin):
    list_display = ("email", "meeting", "status")


site = admin.AdminSite(name="admin")
site.register(Participant, ParticipantAdmin)

urlpatterns = [
    path("admin/", site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("participants.urls")),
]
