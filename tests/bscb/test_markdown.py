"""Entries are written as staff type them, and rendered as the report prints them."""

from bscb.core.markdown import render_markdown


def test_bullets_straight_under_a_line_and_nested_by_two_spaces_are_lists():
    html = render_markdown("We heard:\n- taxi drivers\n  - badges\n  - training\n- hotels")
    assert html == (
        "<p>We heard:</p>\n<ul>\n<li>taxi drivers<ul>\n<li>badges</li>\n<li>training</li>\n"
        "</ul>\n</li>\n<li>hotels</li>\n</ul>"
    )


def test_numbered_lists_and_paragraphs_stay_as_written():
    html = render_markdown("Three priorities:\n\n1. Review\n2. Profile\n\nAgreed.")
    assert (
        html
        == "<p>Three priorities:</p>\n<ol>\n<li>Review</li>\n<li>Profile</li>\n</ol>\n<p>Agreed.</p>"
    )


def test_a_hyphen_inside_a_sentence_is_not_a_list():
    assert render_markdown("Years 7 - 9 took part.") == "<p>Years 7 - 9 took part.</p>"


# Hostile Markdown around footnote digits: link_footnotes splits sanitised HTML with a
# pattern, so whatever it makes is sanitised again (issue 17 review, finding 6).
HOSTILE_AROUND_FOOTNOTES = [
    '<ol start="1>¹ onmouseover=alert(1) x"><li>a</li></ol>',
    '<a href="https://example.org/" title="x>² <img src=x onerror=alert(1)>">link</a>³',
    "A county.¹ <script>alert(1)</script>² <img src=x onerror=alert(2)>",
    "&lt;img src=x onerror=alert(1)&gt;¹ &#60;b&#62;²",
    '[text¹](javascript:alert(1)) <span style="x">²</span>',
    '<ol start="¹"><li>²</li></ol><p title="³">⁴</p>',
    "`code¹` **bold²** _em³_ > quote⁴",
]
# nh3 keeps these on any element (ammonia's generic attributes).
GENERIC_ATTRIBUTES = {"title", "lang"}


def _elements(html: str) -> list[tuple[str, set[str]]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {name for name, _ in attrs}))

    Collect().feed(html)
    return found


def test_footnote_links_in_hostile_markdown_hold_only_allowed_elements_and_attributes():
    from bscb.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, link_footnotes

    allowed_attributes = {**ALLOWED_ATTRIBUTES, "a": {"href", "rel", "class", "aria-label"}}
    given = [render_markdown(text) for text in HOSTILE_AROUND_FOOTNOTES] + [
        # HTML whose attribute holds a raw ">", as a serialiser other than today's nh3 may
        # write it: a footnote must not be linked inside the attribute.
        '<p title="x>¹ onclick=alert(1) y">text</p>',
        '<ol start="1>²"><li>a</li></ol>',
    ]
    for html_in in given:
        html = link_footnotes(html_in, "/2018-19/sources/", {1, 2, 3, 4})
        for tag, attributes in _elements(html):
            assert tag in ALLOWED_TAGS | {"sup"}, f"{html_in!r} gave <{tag}>: {html}"
            extra = attributes - allowed_attributes.get(tag, set()) - GENERIC_ATTRIBUTES
            assert not extra, f"{html_in!r} gave {extra} on <{tag}>: {html}"
