from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "EGM Desk"
admin.site.site_title = "EGM Desk"
admin.site.index_title = "Meetings, participants and mail"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("agenda.urls")),
    path("", include("participants.urls_papers")),
    path("", include("participants.urls_participant")),
    path("", include("participants.urls")),
    path("", include("logistics.urls")),
]
