from django.contrib import admin
from django.urls import include, path

from agenda import urls as agenda_urls
from participants.programme import urls as programme_urls
from participants.views import sign_in

admin.site.site_header = "EGM Desk"
admin.site.site_title = "EGM Desk"
admin.site.index_title = "Meetings, participants and mail"

urlpatterns = [
    # One way in for organisers: the back office's login is the site's sign-in, whose
    # failed attempts allauth rate-limits.
    path("admin/login/", sign_in.admin_login),
    path("admin/", admin.site.urls),
    # Before allauth's own: an address proven only by an invitation link sets no password.
    path("accounts/password/set/", sign_in.password_set),
    path("accounts/password/change/", sign_in.password_change),
    path("accounts/", include("allauth.urls")),
    # One "agenda" namespace: the programme's pages, and the editor and personal feed that
    # live with people in participants.programme.
    path("", include((agenda_urls.urlpatterns + programme_urls.urlpatterns, "agenda"))),
    path("", include("participants.papers.urls")),
    path("", include("participants.urls.participant")),
    path("", include("participants.urls")),
    path("", include("notifications.urls")),
    path("", include("notifications.mailroom.urls")),
    path("", include("logistics.urls")),
]
