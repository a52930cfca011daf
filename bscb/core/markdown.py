"""Short Markdown from staff, rendered to HTML that is safe to show the public."""

import re
from functools import lru_cache
from html import escape

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


SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_TAG = re.compile(r"(<[^>]*>)")
_TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# What a footnote link adds to render_markdown's HTML.
FOOTNOTE_TAGS = ALLOWED_TAGS | {"sup"}
# The rel render_markdown gave a link is kept; a footnote's link, to this site, needs none.
FOOTNOTE_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "a": ALLOWED_ATTRIBUTES["a"] | {"rel", "class", "aria-label"},
}


def link_footnotes(html: str, href: str, numbers) -> str:
    """Safe HTML with each footnote typed as superscript digits ("deprived county.⁶") made a
    link to its numbered source at `href`#source-N, where that number is recorded.

    The HTML is render_markdown's: tags are sanitised, text is escaped, so the text between
    tags is text. A number inside a link stays as it is (a link cannot hold another).
    """
    parts = _TAG.split(html)
    in_link = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if re.match(r"<a[\s>]", part):
                in_link += 1
            elif part.startswith("</a"):
                in_link = max(in_link - 1, 0)
            continue
        if in_link:
            continue

        def link(match: re.Match) -> str:
            number = int(match.group(0).translate(_TO_DIGITS))
            if number not in numbers:
                return match.group(0)
            return (
                f'<sup><a class="govuk-link" href="{escape(href)}#source-{number}" '
                f'aria-label="Source {number}">{number}</a></sup>'
            )

        parts[index] = _FOOTNOTE.sub(link, part)
    # The split above trusts the serialiser to escape ">" inside attributes: whatever it
    # made is sanitised again, so the result is safe to mark safe whatever it was given.
    return nh3.clean(
        "".join(parts),
        tags=FOOTNOTE_TAGS,
        attributes=FOOTNOTE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
