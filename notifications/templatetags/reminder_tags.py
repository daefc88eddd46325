"""Template tags through which pages of lower apps show the reminder controls.

The trackers (``participants``) offer "remind the selected" without importing this app: their
templates load these tags, the way pages compose parts of higher apps.
"""

from django import template

from ..queries import rules_of

register = template.Library()


@register.simple_tag
def reminder_rules(meeting):
    """The meeting's reminder rules, for the "remind the selected" form."""
    return rules_of(meeting)
