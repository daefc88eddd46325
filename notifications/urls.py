from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("m/<slug:slug>/organise/reminders/", views.rule_list, name="list"),
    path("m/<slug:slug>/organise/reminders/new/", views.rule_create, name="new"),
    path("m/<slug:slug>/organise/reminders/remind/", views.remind_selected, name="remind"),
    path("m/<slug:slug>/organise/reminders/<int:pk>/", views.rule_edit, name="rule"),
]
