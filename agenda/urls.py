"""The programme's public pages and feeds. ``config/urls.py`` mounts them, with the editor
and personal feed of ``participants.programme.urls``, as the ``agenda`` namespace."""

from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/", views.meeting_page, name="meeting"),
    path("m/<slug:slug>/agenda/", views.agenda_page, name="agenda"),
    path("m/<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("m/<slug:slug>/groups/<slug:group_slug>.ics", views.group_ics, name="group_ics"),
]
