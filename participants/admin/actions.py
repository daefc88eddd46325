"""Admin actions on participants: send invitations, or remind those already invited.

Wire them in ``ParticipantAdmin`` with
``actions = [admin_actions.send_invitations, admin_actions.resend_invitations]``.
"""

from itertools import groupby

from django.contrib import admin, messages

from agenda.rules import is_meeting_organiser

from .. import services


def _invite(modeladmin, request, queryset, *, resend: bool) -> None:
    rows = queryset.select_related("meeting").order_by("meeting_id", "pk")
    for meeting, members in groupby(rows, key=lambda participant: participant.meeting):
        if not is_meeting_organiser(request.user, meeting):
            modeladmin.message_user(
                request,
                f"Not sent for {meeting}: you do not organise that meeting.",
                messages.ERROR,
            )
            continue
        result = services.invite_participants(
            meeting=meeting,
            participant_ids=[member.pk for member in members],
            sent_by=request.user,
            resend=resend,
        )
        if result.invited:
            modeladmin.message_user(
                request,
                f"{meeting}: invitations queued: {len(result.invited)}.",
                messages.SUCCESS,
            )
        if result.reminded:
            modeladmin.message_user(
                request,
                f"{meeting}: reminders queued: {len(result.reminded)}.",
                messages.SUCCESS,
            )
        for participant, reason in result.skipped:
            modeladmin.message_user(
                request, f"Not sent to {participant.full_name}: {reason}.", messages.WARNING
            )


@admin.action(description="Send invitations to the selected participants")
def send_invitations(modeladmin, request, queryset) -> None:
    _invite(modeladmin, request, queryset, resend=False)


@admin.action(description="Remind the selected invited participants (same link)")
def resend_invitations(modeladmin, request, queryset) -> None:
    _invite(modeladmin, request, queryset, resend=True)
