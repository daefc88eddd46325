from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/", views.meeting_page, name="meeting"),
    path("m/<slug:slug>/agenda/", views.agenda_page, name="agenda"),
    path("m/<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("m/<slug:slug>/groups/<slug:group_slug>.ics", views.group_ics, name="group_ics"),
    path("m/<slug:slug>/me/calendar/<str:token>.ics", views.personal_ics, name="personal_ics"),
    path("m/<slug:slug>/organise/agenda/", views.organise_agenda, name="organise"),
    path("m/<slug:slug>/organise/agenda/new/", views.session_create, name="organise_new"),
    path("m/<slug:slug>/organise/agenda/announce/", views.announce, name="organise_announce"),
    path("m/<slug:slug>/organise/agenda/members/", views.member_set, name="organise_member"),
    path("m/<slug:slug>/organise/agenda/<int:pk>/", views.session_edit, name="organise_session"),
    path(
        "m/<slug:slug>/organise/agenda/<int:pk>/cancel/",
        views.session_cancel,
        name="organise_cancel",
    ),
    path("m/<slug:slug>/organise/agenda/<int:pk>/parts/", views.part_add, name="organise_part"),
    path(
        "m/<slug:slug>/organise/agenda/<int:pk>/parts/<int:role_pk>/remove/",
        views.part_remove,
        name="organise_part_remove",
    ),
]
