from django.urls import path

from . import views as papers

app_name = "papers"

urlpatterns = [
    path("m/<slug:slug>/me/paper/", papers.submit, name="submit"),
    path("m/<slug:slug>/organise/papers/", papers.tracker, name="tracker"),
    path("m/<slug:slug>/organise/papers/all-papers.zip", papers.archive, name="archive"),
    path("m/<slug:slug>/organise/papers/<int:paper_id>/", papers.review, name="review"),
    path(
        "m/<slug:slug>/organise/participants/<int:pk>/paper-request/",
        papers.request_paper,
        name="request",
    ),
    path("m/<slug:slug>/papers/files/<int:version_id>/", papers.download, name="download"),
    path("m/<slug:slug>/documents/", papers.documents, name="documents"),
]
