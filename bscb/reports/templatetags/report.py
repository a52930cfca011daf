from django import template

from bscb.core.templatetags.text import markdown_filter, money

register = template.Library()
# The report's templates load one library; the text filters are the core app's.
register.filter("markdown", markdown_filter)
register.filter("money", money)


@register.filter(name="change_note")
def change_note_filter(edition):
    """What changed in an edition, composed from records (never a held-back review's name)."""
    from bscb.reports.editions import change_note

    return change_note(edition) if edition else ""


@register.simple_tag
def section_of_kind(period, kind):
    """The period's first shown section of a kind: its .title and .href, or None."""
    from bscb.reports.report import section_of_kind as find

    return find(period, kind)
