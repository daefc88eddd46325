from django.contrib import admin
from django.urls import include, path

from agenda import urls as agenda_urls
from participants.programme import urls as programme_urls

admin.site.site_header = "EGM Desk"
admin.site.site_title = "EGM Desk"
admin.site.index_title = "Meetings, participants and mail"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # One "agenda" namespace: the programme's pages, and the editor and personal feed that
    # live with people in participants.programme.
    path("", include((agenda_urls.urlpatterns + programme_urls.urlpatterns, "agenda"))),
    path("", include("participants.papers.urls")),
    path("", include("participants.urls.participant")),
    path("", include("participants.urls")),
]
