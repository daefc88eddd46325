from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("m/<slug:slug>/organise/outbox/", views.outbox_page, name="page"),
    path("m/<slug:slug>/organise/outbox/<int:pk>/", views.message_page, name="message"),
    path(
        "m/<slug:slug>/organise/outbox/<int:pk>/cancel/",
        views.cancel_message,
        name="cancel_message",
    ),
    path("m/<slug:slug>/organise/outbox/<int:pk>/resend/", views.resend, name="resend"),
    path("m/<slug:slug>/organise/outbox/held/<slug:batch>/", views.held_batch, name="batch"),
    path(
        "m/<slug:slug>/organise/outbox/held/<slug:batch>/release/",
        views.release_batch,
        name="release",
    ),
    path(
        "m/<slug:slug>/organise/outbox/held/<slug:batch>/cancel/",
        views.cancel_batch,
        name="cancel",
    ),
]
