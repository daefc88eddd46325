"""A participant's logistics at a glance, for pages of other apps (the organiser's view)."""

from django import template

from .. import portal

register = template.Library()


@register.inclusion_tag("logistics/organise/_summary.html")
def logistics_summary(participant):
    return {"participant": participant, "steps": portal.checklist_steps(participant)}
