"""Who may read a meeting's confidential business, its papers and its pack: the one rule, asked
by the workspace, the public pages, the back office and every download.

- In confidence (`reads_in_confidence`): the support team (who may change meetings), the
  group's chairs, and a member of the group (or their deputy) whose sign-in is linked to their
  person on record, while the membership lasts (`sits_on`). They read everything of the
  group's meetings: a confidential item's title, minutes, decisions and papers, and the
  minutes before they are approved.
- Anyone else who may read the meeting (a board member not on the group): its open items,
  and their minutes once approved. A confidential item is "a confidential item", no more.
- Anyone, signed in or not: the papers of an open (not confidential) item of a public
  meeting of a group that publishes its papers, once those papers are circulated.

Nobody else learns that a paper exists: the views answer 404.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from bscb.core.roles import is_trusted


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


def _is_support_team(user) -> bool:
    return user.has_perm("meetings.change_meeting")


def groups_in_confidence(user):
    """The groups whose confidential business the person reads: every group for the support
    team; the groups they chair or hold a seat on (as member or deputy) for anyone else;
    none without a trusted sign-in (the second factor where one is needed)."""
    from subgroups.models import Group, Membership

    if not user.is_authenticated or not is_trusted(user):
        return Group.objects.none()
    if _is_support_team(user):
        return Group.objects.all()
    seats = Membership.objects.on().of_user(user).values("group")
    chaired = Group.objects.filter(chairs=user).values("pk")
    return Group.objects.filter(Q(pk__in=seats) | Q(pk__in=chaired))


@rules.predicate
def reads_in_confidence(user, group) -> bool:
    """Whether the person reads the group's confidential business (see `groups_in_confidence`)."""
    if group is None or not user.is_authenticated or not is_trusted(user):
        return False
    if _is_support_team(user):
        return True
    return groups_in_confidence(user).filter(pk=group.pk).exists()


def _in_confidence(user, prefix: str = ""):
    """A filter for records the person may see of meetings of any group: those of open items,
    and all of the groups they read in confidence. None when they may see all."""
    if user.is_authenticated and is_trusted(user) and _is_support_team(user):
        return None
    return Q(**{f"{prefix}is_confidential": False}) | Q(
        **{f"{prefix}meeting__group__in": groups_in_confidence(user)}
    )


def items_shown_to(user, items):
    """The agenda items of `items` whose title the person may see."""
    shown = _in_confidence(user)
    return items if shown is None else items.filter(shown)


def papers_shown_to(user, papers):
    """The papers of `papers` whose title the person may see (those of the items shown)."""
    shown = _in_confidence(user, "agenda_item__")
    return papers if shown is None else papers.filter(shown)


def reads_minutes(user, meeting) -> bool:
    """Whether the person may read the minutes of the meeting's open items: once approved,
    whoever may read the meeting; before, only those who read the group in confidence."""
    return meeting.are_minutes_approved or reads_in_confidence(user, meeting.group)


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


def public_papers(meeting):
    """The meeting's papers the public may have now: those of its open items, circulated
    with the papers (one added, moved or given a new file since is not public until the
    papers are circulated again); none unless `public_meeting_papers`."""
    from meetings.models import AgendaItem, Paper

    if not public_meeting_papers(meeting):
        return Paper.objects.none()
    return Paper.objects.circulated().filter(
        meeting=meeting, agenda_item__in=AgendaItem.objects.public()
    )


def reads_open_business(user) -> bool:
    """Whether the person reads the open business (open items and their papers) of every
    group's meetings: the staff who may view meetings (board members, the support team),
    signed in with their second factor where they need one."""
    return user.is_authenticated and is_trusted(user) and user.has_perm("meetings.view_meeting")


def readable_papers(user, meeting):
    """The meeting's papers the person may download: every one for those who read the group
    in confidence; every open item's paper once circulated for staff (`reads_open_business`);
    for anyone else, those `public_papers` gives."""
    from meetings.models import AgendaItem, Paper

    if reads_in_confidence(user, meeting.group):
        return Paper.objects.filter(meeting=meeting)
    if reads_open_business(user):
        return Paper.objects.circulated().filter(
            meeting=meeting, agenda_item__in=AgendaItem.objects.public()
        )
    return public_papers(meeting)


@rules.predicate
def may_read_paper(user, paper) -> bool:
    if paper is None:
        return False
    return readable_papers(user, paper.agenda_item.meeting).filter(pk=paper.pk).exists()


def public_pack_still_public(meeting) -> bool:
    """Whether every item and paper the public pack holds is still public: an item made
    confidential, or tied to a review held back, or a paper given a new file, since the pack
    was made takes the pack away until the papers are circulated again."""
    from meetings.models import AgendaItem, Paper

    contents = meeting.public_pack_contents or {}
    items, papers = contents.get("items", []), contents.get("papers", [])
    still = AgendaItem.objects.public().filter(meeting=meeting, pk__in=items)
    if still.count() != len(items):
        return False
    held = Paper.objects.circulated().filter(pk__in=papers, agenda_item__in=still)
    return held.count() == len(papers)


def pack_for(user, meeting, want_public: bool = False):
    """The meeting pack this person may have: the whole one, or the public one; None if neither."""
    if not want_public and meeting.pack and reads_in_confidence(user, meeting.group):
        return meeting.pack
    if meeting.public_pack and public_meeting_papers(meeting) and public_pack_still_public(meeting):
        return meeting.public_pack
    return None


rules.add_perm("meetings.read_paper", may_read_paper)
# The apps below meetings (subgroups: an action arising names its item) ask by name.
rules.add_perm("meetings.read_in_confidence", reads_in_confidence)
