"""Filters every app's templates use: Markdown that is safe to show, and money in en-GB."""

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
