"""View helpers that resolve a meeting from the URL and check the organiser permission."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Meeting


def organiser_required(view):
    """Pass ``meeting`` to the view if the user organises it; 404 hides others' meetings."""

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        meeting = get_object_or_404(Meeting.objects.organised_by(request.user), slug=slug)
        if not request.user.has_perm("agenda.organise_meeting", meeting):
            raise PermissionDenied
        return view(request, meeting, *args, **kwargs)

    return wrapper
