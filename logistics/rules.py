"""Who may see a letter or a participant's logistics (django-rules predicates).

A letter is the holder's and the meeting's organisers', and no one else's: it may carry a
passport number.
"""

import rules

from agenda.rules import is_meeting_organiser
from participants.rules import is_the_participant


@rules.predicate
def holds_letter(user, letter) -> bool:
    return letter is not None and is_the_participant(user, letter.participant)


@rules.predicate
def organises_letters_meeting(user, letter) -> bool:
    return letter is not None and is_meeting_organiser(user, letter.meeting)


rules.add_perm("logistics.download_letter", holds_letter | organises_letters_meeting)
