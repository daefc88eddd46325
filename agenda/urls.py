from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/", views.meeting_page, name="meeting"),
]
