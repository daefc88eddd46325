from django.urls import path

from ..dashboard import views as dashboard
from ..views import importing, public_list, tracker

app_name = "participants"

urlpatterns = [
    path("m/<slug:slug>/organise/", dashboard.dashboard, name="dashboard"),
    path("m/<slug:slug>/organise/exports/", dashboard.exports, name="exports"),
    path(
        "m/<slug:slug>/organise/participants/",
        tracker.participant_tracker,
        name="tracker",
    ),
    path(
        "m/<slug:slug>/organise/participants/export.csv",
        tracker.export_csv,
        name="export_csv",
    ),
    path(
        "m/<slug:slug>/organise/participants/export.xlsx",
        tracker.export_xlsx,
        name="export_xlsx",
    ),
    path("m/<slug:slug>/organise/import/", importing.import_page, name="import"),
    path(
        "m/<slug:slug>/organise/import/template.<str:fmt>",
        importing.import_template_download,
        name="import_template",
    ),
    path("m/<slug:slug>/participants/", public_list.public_participants, name="public_list"),
    path(
        "m/<slug:slug>/participants.csv",
        public_list.public_participants_csv,
        name="public_list_csv",
    ),
]
