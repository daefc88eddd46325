"""Who may see and change a participant's records (django-rules predicates and permissions).

A participant sees and edits only their own records; a meeting's organisers see and edit
the records of that meeting's participants, and no other meeting's. Personal data
(passport number, date of birth) follows the same two predicates and nothing else.
"""

import rules

from agenda.rules import is_meeting_organiser

from .models import Participant


@rules.predicate
def is_the_participant(user, participant) -> bool:
    if participant is None or not user.is_authenticated:
        return False
    return participant.user_id is not None and participant.user_id == user.pk


@rules.predicate
def organises_participants_meeting(user, participant) -> bool:
    if participant is None:
        return False
    return is_meeting_organiser(user, participant.meeting)


own_or_organiser = is_the_participant | organises_participants_meeting

rules.add_perm("participants.view_record", own_or_organiser)
rules.add_perm("participants.edit_registration", own_or_organiser)
rules.add_perm("participants.view_personal_data", own_or_organiser)
rules.add_perm("participants.manage_participant", organises_participants_meeting)


def invitation_link_may_sign_in(participant: Participant) -> bool:
    """Whether accepting this invitation may sign its account in without a code.

    The meeting's organisers can read the invitation in the outbox, so its link may open
    only an account that has nothing beyond this participation: never a staff or organiser
    account, one with a password, or one with a place at another meeting (accepting a
    second meeting into an existing account always asks for an emailed code). Even then the
    session it opens is limited to this meeting (``participants.link_sign_in``).
    """
    user = participant.user
    if user is None or user.is_staff or user.is_superuser or user.has_usable_password():
        return False
    if user.organised_meetings.exists():
        return False
    return not Participant.objects.filter(user=user).exclude(pk=participant.pk).exists()
