"""The one place logistics listens to another app: an acceptance sends the information note.

``participants`` sits below ``logistics`` and cannot call it, so the acceptance is heard from
the participant's timeline: a new ``StatusChange`` to accepted.
"""

import datetime as dt

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from participants.models import Status, StatusChange

from . import services

# History rows written later for an earlier day (the demo, imports) are not acceptances now.
LIVE = dt.timedelta(hours=1)


@receiver(post_save, sender=StatusChange, dispatch_uid="logistics.note_on_acceptance")
def send_note_on_acceptance(sender, instance: StatusChange, created: bool, raw: bool, **kwargs):
    if raw or not created or instance.to_status != Status.ACCEPTED:
        return
    if instance.changed_at < timezone.now() - LIVE:
        return
    services.send_information_note(participant=instance.participant)
