"""Short Markdown from staff, rendered to HTML that is safe to show the public."""

import re
from functools import lru_cache

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "code", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s")


def _lists_may_follow_a_line(text: str) -> str:
    """Start a list after a line of text without the blank line Markdown asks for.

    Staff write "We heard:" and the bullets straight under it, as in Word.
    """
    lines = (text or "").replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (
            LIST_ITEM.match(line)
            and not line.startswith(" ")
            and previous.strip()
            and not LIST_ITEM.match(previous)
            and not previous.startswith(" ")
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


# A text is rendered the same way every time, and publishing shows each entry up to three
# times (its section's page, the whole report, its meeting's page): render it once.
@lru_cache(maxsize=8192)
def render_markdown(text: str) -> str:
    # Nested bullets are indented by two spaces, as staff type them (tab_length).
    html = markdown_lib.markdown(
        _lists_may_follow_a_line(text), extensions=["sane_lists"], tab_length=2
    )
    # Markdown passes raw HTML through, so everything it produces is sanitised:
    # a <script> or a javascript: link typed into an entry never reaches a page.
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
