"""Logistics URLs: the public verification page, the participant's pages under ``me/`` and
the organisers' under ``organise/logistics/``."""

from django.urls import path

from . import views

app_name = "logistics"

ORGANISE = "m/<slug:slug>/organise/logistics/"

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("m/<slug:slug>/letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("m/<slug:slug>/information-note/", views.note_page, name="note"),
    path("m/<slug:slug>/information-note.pdf", views.note_pdf, name="note_pdf"),
    path("m/<slug:slug>/me/letters/", views.my_letters, name="my_letters"),
    path("m/<slug:slug>/me/travel/", views.my_travel, name="my_travel"),
    path("m/<slug:slug>/me/hotel/", views.my_hotel, name="my_hotel"),
    path(ORGANISE, views.organise, name="organise"),
    path(f"{ORGANISE}letters/", views.organise_letters, name="letters"),
    path(f"{ORGANISE}letters/batches/<int:pk>/", views.batch_progress, name="batch"),
    path(f"{ORGANISE}letters/template/<str:kind>/", views.letter_template, name="template"),
    path(f"{ORGANISE}letters/<int:pk>/revoke/", views.revoke, name="revoke"),
    path(f"{ORGANISE}letters/<int:pk>/reissue/", views.reissue, name="reissue"),
    path(f"{ORGANISE}participants/<int:pk>/", views.organise_participant, name="participant"),
    path(f"{ORGANISE}participants/<int:pk>/issue/", views.issue, name="issue"),
    path(f"{ORGANISE}participants/<int:pk>/travel/", views.participant_travel, name="travel"),
    path(f"{ORGANISE}participants/<int:pk>/hotel/", views.participant_hotel, name="booking"),
    path(f"{ORGANISE}letters/visa-list.csv", views.visa_list, {"fmt": "csv"}, name="visa_csv"),
    path(f"{ORGANISE}letters/visa-list.xlsx", views.visa_list, {"fmt": "xlsx"}, name="visa_xlsx"),
    path(f"{ORGANISE}arrivals/", views.arrivals, name="arrivals"),
    path(f"{ORGANISE}arrivals.csv", views.arrivals_csv, name="arrivals_csv"),
    path(f"{ORGANISE}hotel/", views.hotel, name="hotel"),
    path(
        f"{ORGANISE}hotel/rooming-list.csv", views.rooming_list, {"fmt": "csv"}, name="rooming_csv"
    ),
    path(
        f"{ORGANISE}hotel/rooming-list.xlsx",
        views.rooming_list,
        {"fmt": "xlsx"},
        name="rooming_xlsx",
    ),
    path(f"{ORGANISE}note/", views.edit_note, name="edit_note"),
]
