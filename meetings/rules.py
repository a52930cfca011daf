"""Who may read a meeting's papers and its pack: the one rule, asked by every download.

- the support team and the group's chairs: every paper of the group's meetings;
- a member of the group (or their deputy) whose sign-in is linked to their person on record,
  while the membership lasts (`sits_on`): the same;
- anyone, signed in or not: the papers of an open (not confidential) item of a public
  meeting of a group that publishes its papers, once the papers are circulated.

Nobody else learns that a paper exists: the views answer 404.
"""

from __future__ import annotations

import rules

from bscb.core.roles import SUPPORT_TEAM, is_trusted


def sits_on(user, group) -> bool:
    """Whether the signed-in person holds a seat on the group today, as its member or as the
    deputy (who attends in the member's place, so reads what the member reads).

    Through their person on record (`Person.user`): a sign-in linked to nobody sits on nothing,
    and a membership ended, or not started, gives nothing.
    """
    from subgroups.models import Membership

    if not user.is_authenticated:
        return False
    return Membership.objects.on().of_user(user).filter(group=group).exists()


def reads_every_paper(user, group) -> bool:
    """The support team, the group's chairs and its members, signed in with their second factor
    where they need one."""
    if not user.is_authenticated or not is_trusted(user):
        return False
    if user.is_superuser or user.groups.filter(name=SUPPORT_TEAM).exists():
        return True
    return group.chairs.filter(pk=user.pk).exists() or sits_on(user, group)


def public_meeting_papers(meeting) -> bool:
    """Whether the public may have the open items' papers of this meeting now: a public
    meeting of a group that publishes both its agendas and its papers, once circulated (a
    paper is never public where its agenda is not)."""
    return bool(
        meeting.is_public
        and meeting.group.publishes_agendas
        and meeting.group.publishes_papers
        and meeting.papers_circulated_at
    )


def is_public_item(item) -> bool:
    from meetings.models import AgendaItem

    return (
        public_meeting_papers(item.meeting)
        and not item.is_confidential
        and AgendaItem.objects.public().filter(pk=item.pk).exists()
    )


@rules.predicate
def may_read_paper(user, item) -> bool:
    """`item` is the paper's agenda item."""
    if item is None:
        return False
    return is_public_item(item) or reads_every_paper(user, item.meeting.group)


def public_pack_still_public(meeting) -> bool:
    """Whether every item and paper the public pack holds is still public: an item made
    confidential, or tied to a review held back, since the pack was made takes it away
    until the papers are circulated again."""
    from meetings.models import AgendaItem, Paper

    contents = meeting.public_pack_contents or {}
    items, papers = contents.get("items", []), contents.get("papers", [])
    still = AgendaItem.objects.public().filter(meeting=meeting, pk__in=items)
    if still.count() != len(items):
        return False
    return Paper.objects.filter(pk__in=papers, agenda_item__in=still).count() == len(papers)


def pack_for(user, meeting, want_public: bool = False):
    """The meeting pack this person may have: the whole one, or the public one; None if neither."""
    if not want_public and meeting.pack and reads_every_paper(user, meeting.group):
        return meeting.pack
    if meeting.public_pack and public_meeting_papers(meeting) and public_pack_still_public(meeting):
        return meeting.public_pack
    return None


rules.add_perm("meetings.read_paper", may_read_paper)
