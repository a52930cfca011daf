from django import template
from django.utils.safestring import mark_safe

from bscb.core.markdown import link_footnotes, render_markdown
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


@register.simple_tag
def markdown_citing(text, sources_section, source_numbers):
    """Markdown whose footnotes ("county.⁶") link to their source on the sources section,
    where the period shows one and records that number."""
    html = render_markdown(text)
    if sources_section is None:
        return mark_safe(html)
    return mark_safe(link_footnotes(html, sources_section.href, source_numbers))
