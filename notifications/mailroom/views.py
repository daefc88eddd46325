"""The outbox page: what the meeting has mailed, what waits, what failed, what is held; one
message with its history, cancelled or resent from there."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agenda.access import organiser_required

from .. import outbox
from ..models import Message
from . import queries


@organiser_required
def outbox_page(request, meeting):
    """The whole outbox of the meeting; with ``?to=`` one person's history."""
    recipient = request.GET.get("to", "").strip()
    context = {"meeting": meeting, "recipient": recipient}
    if recipient:
        context["history"] = queries.history(meeting, recipient)
    else:
        context.update(
            counts=queries.counts_by_status(meeting),
            queue=queries.queue(meeting),
            failures=queries.failures(meeting),
            held_batches=queries.held_batches(meeting),
            recipients=queries.recipients(meeting),
        )
    return render(request, "notifications/outbox/page.html", context)


def _message_of(meeting, pk: int) -> Message:
    try:
        return queries.message_of(meeting, pk)
    except Message.DoesNotExist as exc:
        raise Http404 from exc


@organiser_required
def message_page(request, meeting, pk: int):
    """One message as it went (links' secrets hidden), its attempts, and its history."""
    message = _message_of(meeting, pk)
    return render(
        request,
        "notifications/outbox/message.html",
        {"meeting": meeting, "message": message, "history": queries.message_history(message)},
    )


@require_POST
@organiser_required
def cancel_message(request, meeting, pk: int):
    message = _message_of(meeting, pk)
    if outbox.cancel(message):
        messages.success(request, f"The message to {message.recipient} is cancelled.")
    else:
        messages.info(request, "The message was no longer waiting to go; left as is.")
    return redirect("outbox:message", slug=meeting.slug, pk=message.pk)


@require_POST
@organiser_required
def resend(request, meeting, pk: int):
    message = _message_of(meeting, pk)
    if outbox.resend(message):
        messages.success(request, f"Sending again to {message.recipient}.")
    else:
        messages.info(request, f"The message to {message.recipient} had not failed; left as is.")
    if request.POST.get("back") == "message":
        return redirect("outbox:message", slug=meeting.slug, pk=message.pk)
    return redirect("outbox:page", slug=meeting.slug)


@organiser_required
def held_batch(request, meeting, batch: str):
    """A held batch as its first recipient will see it, and to whom it would go."""
    held = queries.held_batch(meeting, batch)
    if not held:
        raise Http404("No such batch waiting for review.")
    return render(
        request,
        "notifications/outbox/batch.html",
        {"meeting": meeting, "batch": batch, "held": held, "sample": held[0]},
    )


@require_POST
@organiser_required
def release_batch(request, meeting, batch: str):
    released = outbox.release_batch(meeting=meeting, batch=batch)
    if released:
        messages.success(request, f"Released: {released} message{'s' * (released != 1)} sending.")
    else:
        messages.info(request, "Nothing left to release in that batch.")
    return redirect("outbox:page", slug=meeting.slug)


@require_POST
@organiser_required
def cancel_batch(request, meeting, batch: str):
    cancelled = outbox.cancel_batch(meeting=meeting, batch=batch)
    if cancelled:
        messages.success(request, f"Cancelled: {cancelled} message{'s' * (cancelled != 1)}.")
    else:
        messages.info(request, "Nothing left to cancel in that batch.")
    return redirect("outbox:page", slug=meeting.slug)
