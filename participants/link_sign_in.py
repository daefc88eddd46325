"""Sessions opened by an invitation link: signed in for that one meeting, nowhere else.

A meeting's organisers can read its invitations in the outbox, so following a link proves
only that one holds the link, not that one owns the address. A session that an invitation
link signed in is therefore scoped: it counts as signed in on that meeting's pages (and to
sign out), and as signed out everywhere else, so it reaches no other meeting's records, no
account page, and cannot set a password (``participants.views.sign_in``). Signing in with
an emailed code, which does prove the address, lifts the scope
(``participants.adapters.AccountAdapter.login``).
"""

from dataclasses import dataclass

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.utils import perform_login
from django.http import HttpRequest, HttpResponse

from .models import Participant

SESSION_KEY = "participants.invitation_scope"


@dataclass(frozen=True)
class Scope:
    participant_id: int
    meeting_slug: str


def sign_in(request: HttpRequest, participant: Participant, *, redirect_url: str) -> HttpResponse:
    """Sign the participant's account in for this meeting only.

    Side effects: a new authenticated session (allauth's login, whose adapter clears any
    earlier scope), then the scope recorded in it.
    """
    response = perform_login(
        request,
        participant.user,
        # The link is not proof of the address, and the address stays unverified until an
        # emailed code proves it; allauth must not stop here to send a verification email.
        email_verification=EmailVerificationMethod.NONE,
        redirect_url=redirect_url,
    )
    if request.user.is_authenticated and request.user.pk == participant.user_id:
        request.session[SESSION_KEY] = {
            "participant": participant.pk,
            "meeting": participant.meeting.slug,
        }
    return response


def scope(request: HttpRequest) -> Scope | None:
    """The meeting this session is limited to, or None for a fully signed-in session."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    return Scope(participant_id=data.get("participant"), meeting_slug=data.get("meeting", ""))


def lift(request: HttpRequest) -> None:
    """Forget the scope: the address was proven (emailed code) or another sign-in began."""
    request.session.pop(SESSION_KEY, None)
