"""Participant-facing pages (invitation, portal, registration) and organiser actions on one
participant. The organiser tracker's own URLs live in ``participants/urls/__init__.py``."""

from django.urls import path

from ..privacy import views as privacy
from ..views import invitations, my_meetings, portal, registration

app_name = "participant"

urlpatterns = [
    path("my-meetings/", my_meetings.my_meetings, name="my_meetings"),
    path("my-participation/", my_meetings.my_participation, name="my_participation"),
    path("m/<slug:slug>/invitation/<str:token>/", invitations.invitation, name="invitation"),
    path("m/<slug:slug>/invitation/<str:token>/accept/", invitations.accept, name="accept"),
    path("m/<slug:slug>/invitation/<str:token>/decline/", invitations.decline, name="decline"),
    path("m/<slug:slug>/me/", portal.portal_page, name="portal"),
    path(
        "m/<slug:slug>/me/calendar/reset/",
        portal.reset_calendar_link,
        name="reset_calendar_link",
    ),
    path("m/<slug:slug>/me/registration/", registration.my_registration, name="registration"),
    path("m/<slug:slug>/me/data/", privacy.my_data, name="my_data"),
    path("m/<slug:slug>/me/data.json", privacy.my_data_json, name="my_data_json"),
    path("m/<slug:slug>/me/data.pdf", privacy.my_data_pdf, name="my_data_pdf"),
    path("m/<slug:slug>/me/data/delete/", privacy.request_deletion, name="request_deletion"),
    path(
        "m/<slug:slug>/organise/participants/invite/",
        invitations.send_invitations,
        name="invite",
    ),
    path(
        "m/<slug:slug>/organise/participants/<int:pk>/",
        registration.participant_detail,
        name="organise_participant",
    ),
    path(
        "m/<slug:slug>/organise/participants/<int:pk>/registration/",
        registration.participant_registration,
        name="organise_registration",
    ),
    path(
        "m/<slug:slug>/organise/participants/<int:pk>/status/",
        registration.participant_status,
        name="organise_status",
    ),
    path(
        "m/<slug:slug>/organise/participants/<int:pk>/delete-data/",
        privacy.confirm_deletion,
        name="confirm_deletion",
    ),
]
