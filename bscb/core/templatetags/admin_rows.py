"""`{% result_list_by_content cl %}`: Django admin's `{% result_list cl %}`, drawn once for each
state of what it shows and read from the "fragments" cache after (bscb.core.admin_base.results_key).

A list whose admin does not say what its rows are drawn from (`list_row_content`) is drawn by
Django each time, as `{% result_list %}` would."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list_tag
from django.core.cache import caches

from bscb.core.admin_base import results_key

register = template.Library()


class ResultsByContentNode(template.Node):
    def __init__(self, node, changelist):
        self.node = node
        self.changelist = changelist

    def render(self, context):
        key = results_key(self.changelist.resolve(context), context.get("request"))
        if key is None:
            return self.node.render(context)
        fragments = caches["fragments"]
        html = fragments.get(key)
        if html is None:
            html = self.node.render(context)
            fragments.set(key, html)
        return html


@register.tag(name="result_list_by_content")
def result_list_by_content(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the change list alone")
    return ResultsByContentNode(result_list_tag(parser, token), parser.compile_filter(bits[1]))
