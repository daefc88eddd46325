"""Where a session opened by an invitation link counts as signed in (``link_sign_in``)."""

from django.contrib.auth.models import AnonymousUser

from . import link_sign_in

# Pages outside the link's meeting that such a session still needs as itself.
_ALWAYS_SIGNED_IN = {"account_logout"}


class InvitationScopeMiddleware:
    """Outside its meeting's pages, a link-opened session is treated as signed out.

    Deciding per view (``process_view``, after URL resolution) keeps the rule in one place:
    every page of another meeting, the account pages and the back office see an anonymous
    visitor and ask for a sign-in, which for this account means an emailed code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = link_sign_in.scope(request)
        if scope is None or not request.user.is_authenticated:
            return None
        if view_kwargs.get("slug") == scope.meeting_slug:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _ALWAYS_SIGNED_IN:
            return None
        anonymous = AnonymousUser()
        request.user = anonymous

        async def auser():
            return anonymous

        request.auser = auser
        return None
