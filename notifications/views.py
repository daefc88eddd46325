"""The organisers' reminder pages: rules with their next firing and exact recipients, the
rule form with a preview, and "remind the selected" from the trackers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agenda.access import organiser_required

from . import queries, reminders
from .forms import RemindForm, RuleForm
from .models import ReminderRule


@organiser_required
def rule_list(request, meeting):
    now = timezone.now()
    rows = [(rule, *reminders.next_firing(rule, now=now)) for rule in queries.rules_of(meeting)]
    rows = [
        (rule, offset, at, reminders.audience(rule, now=now).count()) for rule, offset, at in rows
    ]
    return render(
        request,
        "notifications/organise/rules.html",
        {"meeting": meeting, "rows": rows, "deadlines": queries.deadlines_of(meeting)},
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def rule_create(request, meeting):
    deadline = None
    if request.GET.get("deadline", "").isdigit():
        deadline = queries.deadlines_of(meeting).filter(pk=request.GET["deadline"]).first()
    deadline = deadline or queries.deadlines_of(meeting).first()
    if deadline is None:
        messages.error(request, "Add a deadline to the meeting first (in the admin).")
        return redirect("reminders:list", slug=meeting.slug)
    form = RuleForm(
        request.POST or None, meeting=meeting, initial=RuleForm.initial_for(None, deadline)
    )
    if request.method == "POST" and form.is_valid():
        rule = form.save(rule=None, by=request.user)
        if rule is not None:
            messages.success(request, f"Reminder rule '{rule.name}' saved.")
            return redirect("reminders:rule", slug=meeting.slug, pk=rule.pk)
    return render(
        request,
        "notifications/organise/rule.html",
        {"meeting": meeting, "form": form, "rule": None},
        status=400 if form.errors else 200,
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, meeting, pk: int):
    try:
        rule = queries.rule_of(meeting, pk)
    except ReminderRule.DoesNotExist as exc:
        raise Http404 from exc
    form = RuleForm(request.POST or None, meeting=meeting, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        saved = form.save(rule=rule, by=request.user)
        if saved is not None:
            messages.success(request, f"Reminder rule '{saved.name}' saved.")
            return redirect("reminders:rule", slug=meeting.slug, pk=rule.pk)
        rule.refresh_from_db()
    return render(
        request,
        "notifications/organise/rule.html",
        {
            "meeting": meeting,
            "form": form,
            "rule": rule,
            "preview": reminders.preview(rule),
            "schedule": reminders.schedule(rule),
            "history": queries.rule_history(rule),
        },
        status=400 if form.errors else 200,
    )


def _back(request, meeting) -> str:
    back = request.POST.get("next") or ""
    if not back.startswith(f"/m/{meeting.slug}/organise/"):
        back = reverse("participants:tracker", kwargs={"slug": meeting.slug})
    return back


@require_POST
@organiser_required
def remind_selected(request, meeting):
    """From a tracker: first a preview of who gets what; with ``confirm``, send now."""
    form = RemindForm(request.POST, meeting=meeting)
    back = _back(request, meeting)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    rule = form.cleaned_data["rule"]
    ids = [participant.pk for participant in form.cleaned_data["participant"]]
    if request.POST.get("confirm"):
        try:
            fan_out, not_owed = reminders.remind_selected(rule=rule, participant_ids=ids)
        except (ValidationError, reminders.TemplateProblem) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(back)
        messages.success(request, f"Reminders queued: {len(fan_out.queued)}.")
        if any(message.batch for message in fan_out.queued):
            messages.info(request, "They wait for an organiser's review on the outbox page.")
        if fan_out.existing:
            messages.info(request, f"Already reminded today: {fan_out.existing}.")
        for message in fan_out.failed:
            messages.warning(request, message.last_error)
        for participant in not_owed:
            messages.info(request, f"Not reminded: {participant.full_name} no longer owes.")
        return redirect(back)
    preview = reminders.preview_selected(rule, ids)
    _, not_owed = reminders.split_selected(rule, ids, now=timezone.now())
    return render(
        request,
        "notifications/organise/remind.html",
        {
            "meeting": meeting,
            "rule": rule,
            "preview": preview,
            "not_owed": not_owed,
            "ids": ids,
            "next": back,
        },
    )
