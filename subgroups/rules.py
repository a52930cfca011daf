"""Who may see and change a group's work: one rule for the chairs' workspace and the admin.

- the support team: everything;
- a chair: the groups they chair, to read and to change;
- a board member: every group, to read only;
- anyone else: nothing.
"""

import rules

from bscb.core.roles import BOARD_MEMBERS, keeps_records


def group_of(obj):
    """The group a plan, action, update, risk or review belongs to."""
    from subgroups.models import Action, ActionPlan, Group, ProgressUpdate, Risk, RiskReview

    if isinstance(obj, Group):
        return obj
    if isinstance(obj, ActionPlan):
        return obj.group
    if isinstance(obj, Action):
        return obj.plan.group
    if isinstance(obj, ProgressUpdate):
        return obj.action.plan.group
    if isinstance(obj, Risk):
        return obj.owner_group
    if isinstance(obj, RiskReview):
        return obj.risk.owner_group
    return None


is_support_team = rules.predicate(keeps_records, name="is_support_team")


@rules.predicate
def is_board_member(user):
    return user.groups.filter(name=BOARD_MEMBERS).exists()


@rules.predicate
def is_chair(user):
    return user.chaired_groups.exists()


@rules.predicate
def chairs_its_group(user, obj):
    if obj is None:
        return False
    group = group_of(obj)
    return group is not None and group.chairs.filter(pk=user.pk).exists()


can_read = is_support_team | is_board_member | chairs_its_group
can_change = is_support_team | chairs_its_group

# The workspace asks these with the object in hand.
rules.add_perm("subgroups.read_group_work", can_read)
rules.add_perm("subgroups.change_group_work", can_change)
rules.add_perm("subgroups.read_all_group_work", is_support_team | is_board_member)
rules.add_perm("subgroups.use_workspace", is_support_team | is_board_member | is_chair)

# The admin asks the model permissions, with the object on change pages.
for model in ["actionplan", "action", "progressupdate", "risk", "riskreview"]:
    rules.add_perm(f"subgroups.view_{model}", can_read)
    rules.add_perm(f"subgroups.change_{model}", can_change)
    rules.add_perm(f"subgroups.delete_{model}", is_support_team)
    rules.add_perm(f"subgroups.add_{model}", is_support_team)
