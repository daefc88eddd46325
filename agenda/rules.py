"""Who may do what with a meeting (django-rules predicates and permissions)."""

import rules


@rules.predicate
def is_meeting_organiser(user, meeting) -> bool:
    """Organisers are the users named on the meeting; superusers organise every meeting."""
    if meeting is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return meeting.organisers.filter(pk=user.pk).exists()


rules.add_perm("agenda.organise_meeting", is_meeting_organiser)
