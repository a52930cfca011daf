"""Search across every published edition: the pages readers can read, nothing else.

Searching the stored editions keeps every rule of the report: only published
periods, only what was published, and never an embargoed review (an edition
that named one is replaced the moment it is held back). PostgreSQL ranks with
its full-text search; SQLite matches every word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from itertools import groupby

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape

from bscb.core.models import ReportingPeriod
from bscb.core.security import without_control_characters
from bscb.reports.models import EditionPage

MAX_RESULTS = 50
START, STOP = "\x02", "\x03"  # highlight marks, replaced by <mark> after escaping


@dataclass
class Hit:
    title: str
    path: str
    snippet: str  # safe HTML


def _mark(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def _snippet(text: str, words: list[str], width: int = 220) -> str:
    lowered = text.lower()
    first = min((lowered.find(w.lower()) for w in words if w.lower() in lowered), default=0)
    start = max(0, first - width // 3)
    piece = text[start : start + width]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", piece)
    return ("…" if start else "") + _mark(marked) + ("…" if start + width < len(text) else "")


def search_editions(query: str) -> list[tuple[ReportingPeriod, list[Hit]]]:
    """Pages of current editions matching the query, grouped by period, newest first: one query."""
    query = without_control_characters(query)  # PostgreSQL refuses NUL in a query
    words = query.split()
    if not words:
        return []
    pages = (
        EditionPage.objects.current()
        .filter(
            content_type__startswith="text/html",
        )
        # The whole report repeats every section: its sections are the better results.
        .exclude(path__endswith="/report/")
        .select_related("edition__period")
        .only(
            "title",
            "path",
            "text",
            "edition__period__name",
            "edition__period__slug",
            "edition__period__start",
        )
    )
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config="english", search_type="websearch")
        pages = (
            pages.annotate(
                rank=SearchRank(SearchVector("text", config="english"), search),
                headline=SearchHeadline(
                    "text",
                    search,
                    config="english",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=40,
                    min_words=20,
                ),
            )
            .filter(rank__gt=0)
            .order_by("-edition__period__start", "-rank", "path")
        )
    else:
        for word in words:
            pages = pages.filter(text__icontains=word)
        pages = pages.order_by("-edition__period__start", "path")
    results = []
    for period, period_pages in groupby(pages[:MAX_RESULTS], key=lambda p: p.edition.period):
        hits = []
        for page in period_pages:
            snippet = (
                _mark(page.headline) if hasattr(page, "headline") else _snippet(page.text, words)
            )
            # Stored titles are HTML-escaped text; the template escapes once.
            hits.append(Hit(unescape(page.title.split(" \u2013 ")[0]), page.path, snippet))
        results.append((period, hits))
    return results
