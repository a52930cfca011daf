"""Short Markdown from staff, rendered to HTML that is safe to show the public."""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    # Markdown passes raw HTML through, so everything it produces is sanitised:
    # a <script> or a javascript: link typed into an entry never reaches a page.
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
