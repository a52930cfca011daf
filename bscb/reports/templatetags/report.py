from django import template
from django.utils.safestring import mark_safe

from bscb.core.fields import format_money
from bscb.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return mark_safe(render_markdown(text))


@register.filter
def money(value):
    return format_money(value)


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
