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
