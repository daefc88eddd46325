"""Who may download a paper's file (django-rules predicates and the permission)."""

import rules

from agenda.rules import is_meeting_organiser

from ..models import PaperVersion, ReviewStatus


@rules.predicate
def is_version_author(user, version: PaperVersion) -> bool:
    if not user.is_authenticated:
        return False
    return version.paper.participant.user_id == user.pk


@rules.predicate
def organises_version_meeting(user, version: PaperVersion) -> bool:
    return is_meeting_organiser(user, version.paper.participant.meeting)


@rules.predicate
def is_published_version(user, version: PaperVersion) -> bool:
    """Only the current file of a paper published with its author's consent, on a meeting
    whose site is public, is public."""
    paper = version.paper
    return (
        paper.participant.meeting.is_published
        and paper.review_status == ReviewStatus.PUBLISHED
        and paper.consent_publish
        and paper.current_version_id == version.pk
    )


can_download_version = is_published_version | is_version_author | organises_version_meeting

rules.add_perm("participants.download_paper_version", can_download_version)
