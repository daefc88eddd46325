"""The invitation link's pages (accept, decline) and the organiser's "send invitations"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agenda.access import organiser_required
from agenda.models import DeadlineKind
from agenda.queries import meeting_by_slug

from .. import link_sign_in, portal, services, throttle
from ..forms import DeclineForm, InviteForm
from ..rules import invitation_link_may_sign_in

INVALID_TEMPLATE = "participants/invitation_invalid.html"


def _resolve(request, slug: str, token: str):
    """The participant of this link, or the response explaining why there is none.

    The token is looked up before the rate limit is consulted: a valid link always works,
    and only wrong ones from a client that keeps sending them are refused.
    """
    try:
        return services.find_invitation(meeting_slug=slug, token=token), None
    except services.InvitationError as exc:
        if exc.code == "unknown":
            if throttle.blocked(request, token):
                return None, render(request, INVALID_TEMPLATE, {"code": "throttled"}, status=429)
            throttle.record_failure(request, token)
        status = 404 if exc.code == "unknown" else 410
        # The page says whom to write to: the contact of the meeting the link names.
        context = {"code": exc.code, "meeting": meeting_by_slug(slug)}
        return None, render(request, INVALID_TEMPLATE, context, status=status)


def _page(request, participant, *, answer: str = "", decline_form=None, status: int = 200):
    meeting = participant.meeting
    return render(
        request,
        "participants/invitation.html",
        {
            "participant": participant,
            "meeting": meeting,
            "answer": answer,
            "decline_form": decline_form or DeclineForm(),
            "paper_deadline": portal.deadline(meeting, DeadlineKind.PAPER),
            "expires_at": meeting.local(participant.invitation_expires_at),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def invitation(request, slug: str, token: str):
    participant, refusal = _resolve(request, slug, token)
    return refusal or _page(request, participant)


@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, slug: str, token: str):
    """GET shows the page (mail scanners open links); only POST accepts."""
    participant, refusal = _resolve(request, slug, token)
    if refusal:
        return refusal
    if request.method != "POST":
        return _page(request, participant, answer="accept")
    participant = services.accept_invitation(participant=participant)
    portal_url = reverse("participant:portal", kwargs={"slug": slug})
    if participant.status == services.Status.WAITLISTED:
        messages.warning(
            request,
            "Thank you for accepting. The meeting is full for now, so you are on the waiting "
            "list; the secretariat will write to you if a place opens.",
        )
    else:
        messages.success(request, "Thank you for accepting. Please complete your registration.")
    # Signed in already (not merely by another meeting's link: that session counts as signed
    # out here, see participants.middleware).
    if request.user == participant.user:
        return redirect(portal_url)
    if invitation_link_may_sign_in(participant):
        return link_sign_in.sign_in(request, participant, redirect_url=portal_url)
    messages.info(
        request,
        f"Your account ({participant.user.email}) is used for more than this meeting, so "
        "please sign in to continue: ask for a code, which will be sent to that address.",
    )
    return redirect(f"{reverse('account_request_login_code')}?{urlencode({'next': portal_url})}")


@require_http_methods(["GET", "HEAD", "POST"])
def decline(request, slug: str, token: str):
    participant, refusal = _resolve(request, slug, token)
    if refusal:
        return refusal
    if request.method != "POST":
        return _page(request, participant, answer="decline")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _page(request, participant, answer="decline", decline_form=form, status=400)
    participant = services.decline_invitation(
        participant=participant, reason=form.cleaned_data["reason"]
    )
    return render(
        request,
        "participants/invitation_declined.html",
        {
            "participant": participant,
            "meeting": participant.meeting,
        },
    )


def _invite_data(post):
    """A row's own button (invite or resend) acts on that row alone, whatever else is ticked."""
    for name, resend in (("invite_one", False), ("remind_one", True)):
        if post.get(name):
            return {"participant": [post[name]], "resend": resend}
    return post


@require_POST
@organiser_required
def send_invitations(request, meeting):
    """Invite (or, with ``resend``, remind) the participants chosen on the tracker."""
    form = InviteForm(_invite_data(request.POST), meeting=meeting)
    back = request.POST.get("next") or ""
    if not back.startswith(f"/m/{meeting.slug}/organise/"):
        back = f"/m/{meeting.slug}/organise/participants/"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    result = services.invite_participants(
        meeting=meeting,
        participant_ids=[participant.pk for participant in form.cleaned_data["participant"]],
        sent_by=request.user,
        resend=form.cleaned_data["resend"],
    )
    if result.invited:
        messages.success(request, f"Invitations queued: {len(result.invited)}.")
    if result.reminded:
        messages.success(request, f"Reminders queued: {len(result.reminded)}.")
    if result.batch:
        messages.info(request, "They wait for an organiser's review on the outbox page.")
    for participant, reason in result.skipped:
        messages.warning(request, f"Not sent to {participant.full_name}: {reason}.")
    return redirect(back)
