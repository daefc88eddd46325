"""The programme editor's and the personal feed's URLs.

No ``app_name``: ``config/urls.py`` mounts these in the ``agenda`` namespace with the
programme's own URLs, so their names (``agenda:organise``, ``agenda:personal_ics``) stay.
"""

from django.urls import path

from . import views

urlpatterns = [
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
