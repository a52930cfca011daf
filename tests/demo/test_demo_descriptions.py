"""Every page of the demo's published edition has a meta description of its own: a search
result tells each page apart (issue 17 review, finding 1)."""

from collections import defaultdict

from bscb.reports.models import EditionPage

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def test_every_published_page_has_a_short_description_different_from_every_other(demo_year):
    pages = EditionPage.objects.filter(
        edition__period=demo_year, edition__is_current=True, content_type__startswith="text/html"
    )
    assert pages.count() > 30
    by_text = defaultdict(list)
    for page in pages:
        assert 20 < len(page.description) <= 160, f"{page.path}: {page.description!r}"
        assert not set(page.description) & set(SUPERSCRIPTS), f"{page.path}: {page.description!r}"
        by_text[page.description].append(page.path)
    shared = {text: paths for text, paths in by_text.items() if len(paths) > 1}
    assert not shared
