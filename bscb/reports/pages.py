"""The pages of a period's report, each rendered from the records as its parts.

A page is a title, breadcrumbs and a main part, each rendered by a template of
its own from `report/pages/`; `report/page.html` puts the parts in the site's
frame. A download is its text. The views render one page for the request in
hand; publishing renders every page of the period from one render of each
section and stores the parts (editions.py). Nothing here needs a request: the
parts are the same for every reader, and a whole page for a reader who is not
signed in is rendered with `reader_context()`.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, prefetch_related_objects
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from bscb.core.context_processors import site
from bscb.core.markdown import SUPERSCRIPT_DIGITS
from bscb.core.models import ReportingPeriod
from bscb.core.spreadsheets import writer as csv_writer
from bscb.notices.send import site_url
from bscb.reports import kinds
from bscb.reports.opendata import Dataset
from bscb.reports.report import REPORT_LEVELS, Section, find_section, report_sections
from meetings.models import Attendance, Meeting
from subgroups.models import Group, GroupTerm

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"


@dataclass
class Page:
    """One page or download of a period's report."""

    path: str
    kind: str
    title: str  # plain text: the page's title without the board's name
    breadcrumbs: str = ""  # HTML
    main: str = ""  # HTML
    content_type: str = HTML
    body: str = ""  # a download's text
    description: str = ""  # plain text: the page's meta description

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    def frame(self, period: ReportingPeriod | None) -> dict:
        """The context of `report/page.html`, which puts the parts in the site's frame."""
        return {
            "period": period,
            "page_title": self.title,
            "page_breadcrumbs": mark_safe(self.breadcrumbs),  # rendered here, escaped when rendered
            "page_main": mark_safe(self.main),
            "page_description": self.description,
        }


def reader_context() -> dict:
    """What the context processors give a page, for a reader who is not signed in.

    Published pages are rendered with it, for nobody's request: base.html asks
    only for the board's name, the reader (to offer signing in) and the request
    (for the current navigation item and the preview banner, neither of which a
    stored page has). The site's scripts are files, so a stored page needs no
    nonce and is served as it was stored.
    """
    return {**site(None), "user": AnonymousUser(), "request": None}


def whole_page(page: Page, period: ReportingPeriod) -> str:
    """The whole page as a reader who is not signed in gets it: what an edition serves as it is."""
    return render_to_string("report/page.html", {**reader_context(), **page.frame(period)})


def _title(kind: str, period: ReportingPeriod, **context) -> str:
    return _titles(period, [{"kind": kind, **context}])[0]


def _titles(period: ReportingPeriod, pages: list[dict]) -> list[str]:
    """The title of each page (its kind and words, as `_title` takes them), rendered from one
    context with each page's words pushed in turn: the page list has some twenty titles, and
    a context made afresh for each was most of its time (issue 18 item 6)."""
    template = get_template("report/pages/title.html").template
    context = make_context({**reader_context(), "period": period}, autoescape=True)
    titles = []
    for words in pages:
        with context.push(words):
            titles.append(template.render(context).strip())
    return titles


def _page(kind: str, path: str, period: ReportingPeriod, **context) -> Page:
    """An HTML page: its title, breadcrumbs and main part, each rendered from the same context."""
    context = {**reader_context(), "kind": kind, "period": period, "group": None, **context}
    return Page(
        path=path,
        kind=kind,
        title=render_to_string("report/pages/title.html", context).strip(),
        breadcrumbs=render_to_string("report/pages/breadcrumbs.html", context),
        main=render_to_string(f"report/pages/{kind}.html", context),
        description=description(render_to_string("report/pages/description.html", context)),
    )


# Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 160
NO_FOOTNOTES = str.maketrans("", "", SUPERSCRIPT_DIGITS)


def description(text: str) -> str:
    """Plain text in one line, cut at a word to fit a search result's snippet."""
    # A footnote's superscript digits point at the page's sources, not at anything in a snippet.
    words = unescape(" ".join(text.translate(NO_FOOTNOTES).split()))
    if len(words) <= DESCRIPTION_LENGTH:
        return words
    return words[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# The page list: what an edition holds, as data.


def _entry(kind: str, path: str, title: str) -> dict:
    return {"path": path, "title": title, "kind": kind}


def page_list(
    period: ReportingPeriod,
    sections: list,
    meetings: Iterable[tuple[Meeting, int | None]] = (),
) -> list[dict]:
    """The pages of the period's report in reading order: path, title and kind of each.

    The contents page; each section; the whole report; the children's summary
    when there is one; the pages of the meetings the sections show (`meetings`,
    with each one's number: known once the sections are rendered); the data
    page and each dataset as CSV and JSON; the PDF. Publishing stores exactly
    these pages (the PDF as the edition's file, when it could be made); the
    contents page and each section's previous and next links read it.
    """
    slug = period.slug
    # Each page's path and the words its title is rendered from; the titles all at once below.
    pages = [
        (reverse("period_detail", args=[slug]), {"kind": "contents"}),
        *[(s.url(period), {"kind": "section", "title": s.title}) for s in sections],
        (reverse("full_report", args=[slug]), {"kind": "report"}),
    ]
    if period.children_summary:
        pages.append((reverse("children_summary", args=[slug]), {"kind": "children"}))
    pages += [
        (m.url_in(period), {"kind": "meeting", "meeting": m, "number": n}) for m, n in meetings
    ]
    pages.append((reverse("period_data", args=[slug]), {"kind": "data"}))
    for dataset in kinds.datasets_offered(sections):
        for kind, name in (("csv", "dataset_csv"), ("json", "dataset_json")):
            pages.append(
                (reverse(name, args=[slug, dataset.slug]), {"kind": kind, "dataset": dataset})
            )
    pages.append((reverse("report_pdf", args=[slug]), {"kind": "pdf"}))
    # A section's title is its record's own, not rendered.
    rendered = iter(_titles(period, [words for _, words in pages if words["kind"] != "section"]))
    return [
        _entry(
            words["kind"],
            path,
            words["title"] if words["kind"] == "section" else next(rendered),
        )
        for path, words in pages
    ]


def _first(entries: list[dict], kind: str) -> dict | None:
    return next((e for e in entries if e["kind"] == kind), None)


# One function per kind of page.


def contents_page(period: ReportingPeriod, entries: list[dict], edition=None) -> Page:
    """The contents page, its links read from the page list; `edition` when one is being made."""
    return _page(
        "contents",
        entries[0]["path"],
        period,
        edition=edition,
        # An edition being made is not stored yet: listed first, as the newest is.
        editions=[edition, *period.editions.all()]
        if edition is not None and edition.pk is None
        else period.editions.all(),
        sections=[e for e in entries if e["kind"] == "section"],
        **{kind: _first(entries, kind) for kind in ("report", "children", "data", "pdf")},
    )


def section_page(period: ReportingPeriod, section, body: str, entries: list[dict]) -> Page:
    """A section's own page around its render (`body`), with the previous and next sections."""
    sections = [e for e in entries if e["kind"] == "section"]
    path = section.url(period)
    # A group whose meetings are all kept out of the report has a page, but no place in it.
    index = next((i for i, e in enumerate(sections) if e["path"] == path), None)
    return _page(
        "section",
        path,
        period,
        section=section,
        group_term=section.group
        and GroupTerm.objects.filter(group=section.group, period=period).first(),
        body=body,
        previous=sections[index - 1] if index else None,
        next=sections[index + 1] if index is not None and index + 1 < len(sections) else None,
    )


def whole_report_page(period: ReportingPeriod, sections: list[tuple[object, str]]) -> Page:
    """The whole report on one page, from each section's render with report-level headings."""
    return _page("report", reverse("full_report", args=[period.slug]), period, sections=sections)


def children_page(period: ReportingPeriod) -> Page:
    return _page("children", reverse("children_summary", args=[period.slug]), period)


def meeting_page(
    period: ReportingPeriod,
    meeting: Meeting,
    attendances,
    number: int | None,
    parent,
    panel: Group | None,
) -> Page:
    """A meeting's page; `number` tells apart meetings whose date was lost (see Meeting.number_in),
    `parent` is the section that lists it (`meeting_parent`), `panel` the child death panel
    (Group.objects.child_death_panel(), asked once for all the meetings being published)."""
    # A child death panel's meeting: the cases it reviewed (their number, or their record,
    # may be missing: then not recorded). Only its meetings are asked for their cases.
    of_panel = panel is not None and meeting.group_id == panel.pk
    cases = getattr(meeting, "panel_cases", None) if of_panel else None
    return _page(
        "meeting",
        meeting.url_in(period),
        period,
        group=meeting.group,
        parent=parent,
        meeting=meeting,
        attendances=attendances,
        number=number,
        child_death_panel=of_panel,
        cases_reviewed=getattr(cases, "cases_reviewed", None),
    )


def meeting_parent(period: ReportingPeriod, group: Group, sections: list) -> Section | None:
    """The section of the report that lists a group's meetings: the board's work for the board
    and its executive, the child death review for the panel, the group's own section else."""
    kind = {
        Group.Kind.BOARD: kinds.BOARD,
        Group.Kind.EXECUTIVE: kinds.BOARD,
        Group.Kind.PANEL: kinds.CHILD_DEATHS,
    }.get(group.kind)
    if kind is not None:
        return next((s for s in sections if s.kind.key == kind), None)
    return find_section(period, f"groups/{group.slug}", sections)


def data_page(period: ReportingPeriod, sections: list | None = None) -> Page:
    """The period's open data: the datasets its report's sections offer."""
    sections = report_sections(period) if sections is None else sections
    datasets = kinds.datasets_offered(sections)
    return _page("data", reverse("period_data", args=[period.slug]), period, datasets=datasets)


def dataset_csv(period: ReportingPeriod, dataset: Dataset, rows: list[dict]) -> Page:
    """A dataset's rows as CSV: a period column first, then the dataset's columns."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["period", *dataset.names])
    for row in rows:
        writer.writerow([period.name, *(row[name] for name in dataset.names)])
    return Page(
        path=reverse("dataset_csv", args=[period.slug, dataset.slug]),
        kind="csv",
        title=_title("csv", period, dataset=dataset),
        content_type=CSV,
        body=out.getvalue(),
    )


def dataset_json(period: ReportingPeriod, dataset: Dataset, rows: list[dict]) -> Page:
    data = {
        "dataset": dataset.slug,
        "title": dataset.title,
        "period": period.name,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "columns": dataset.names,
        "rows": rows,
    }
    return Page(
        path=reverse("dataset_json", args=[period.slug, dataset.slug]),
        kind="json",
        title=_title("json", period, dataset=dataset),
        content_type=JSON,
        body=json.dumps(data, cls=DjangoJSONEncoder, indent=2),
    )


def pdf(
    period: ReportingPeriod, sections: list[tuple[object, str]], edition=None
) -> tuple[bytes | None, int]:
    """The report as a tagged A4 PDF (PDF/UA-1) from each section's render with report-level
    headings, and its page count; (None, 0) where WeasyPrint cannot run."""
    online = site_url(reverse("period_detail", args=[period.slug]))
    html = render_to_string(
        "report/print.html",
        {
            **reader_context(),
            "period": period,
            "sections": sections,
            "edition": edition,
            "online": online,
        },
    )
    html = links_for_print(html, period, [section for section, _html in sections])
    try:
        import weasyprint  # imported late: it takes half a second and is needed only here
    except OSError as error:  # Pango missing on this machine
        logger.error("No PDF: WeasyPrint cannot load its libraries: %s", error)
        return None, 0
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


_HREF = re.compile(r'href="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')
# Addresses a PDF viewer opens as they are; any other (file:, say) is no link on paper.
_WEB = ("http", "https", "mailto")


def links_for_print(html: str, period: ReportingPeriod, sections: list) -> str:
    """The print HTML with every link one a reader of the PDF can follow.

    A link to a part of the report leads inside the PDF: to the element it names (a
    source's footnote) or else to its section's heading; the contents page and the whole
    report lead to the PDF's contents. A link to any other page of the site (a meeting's
    page, the data) gets the site's public address (settings.SITE_URL): WeasyPrint would
    otherwise resolve it against the server's folder, as a file:/// address.
    """
    contents = "contents-title"  # print.html's contents heading
    inside = {section.url(period): slugify(section.slug) for section in sections}
    inside[reverse("period_detail", args=[period.slug])] = contents
    inside[reverse("full_report", args=[period.slug])] = contents
    ids = set(_ID.findall(html))
    here = site_url(reverse("period_detail", args=[period.slug]))

    def follow(match: re.Match) -> str:
        href = unescape(match.group(1))
        if href.startswith("#"):
            return match.group(0)
        scheme = urlsplit(href).scheme
        if scheme:
            return match.group(0) if scheme in _WEB else ""
        address = urlsplit(urljoin(here, href))
        section = inside.get(address.path)
        if section is None:
            return f'href="{escape(address.geturl())}"'
        return f'href="#{escape(address.fragment if address.fragment in ids else section)}"'

    return _HREF.sub(follow, html)


def pdf_now(period: ReportingPeriod) -> tuple[bytes | None, int]:
    """The PDF made now from the records, for a draft: an edition's is made when it is published."""
    reader = AnonymousUser()
    sections = [(s, s.render(period, reader, None, REPORT_LEVELS)) for s in report_sections(period)]
    return pdf(period, sections)


def accessibility_statement() -> str:
    """The accessibility statement as a reader who is not signed in gets it (for exports)."""
    from bscb.core.models import AccessibilityStatement

    return render_to_string(
        "bscb/accessibility.html",
        {**reader_context(), "statement": AccessibilityStatement.objects.first()},
    )


# What the sections show, read from their contexts.


def meetings_shown(context: dict) -> list[Meeting]:
    """The meetings a section shows, each linked to its page: the meetings in the section's
    context, and the meetings of the report that the board's section lists under each group."""
    found = []
    for value in context.values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Meeting):
                found.append(item)
            elif isinstance(item, Group):
                found += getattr(item, "report_meetings", [])
    return found


def with_attendances(meetings: list[Meeting]) -> None:
    """Each meeting's attendance in order, as `report_attendances`: one query for them all."""
    prefetch_related_objects(
        meetings,
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("organisation"),
            to_attr="report_attendances",
        ),
    )
