"""Editions: publishing freezes the report's pages, so what the public reads changes only on republishing.

Publishing renders each section of the period once (pages.py), builds every
page and download of the edition's page list from those renders, and stores
them with the PDF and the page list itself. Public requests for a published
period are then answered from the stored edition: one query, whatever the
records behind the page.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial, wraps
from html import escape, unescape
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from bscb.core.context_processors import board_read_once
from bscb.core.models import Board, ReportingPeriod
from bscb.core.roles import sees_unpublished
from bscb.notices.publishing import notify_report_published
from bscb.notices.send import site_url
from bscb.reports import kinds, pages
from bscb.reports.models import Edition, EditionPage
from bscb.reports.pages import Page
from meetings.models import Meeting
from reviews import embargo
from reviews.models import CaseReview
from subgroups.models import Group

logger = logging.getLogger(__name__)


def plain_text(html: str) -> str:
    """What a reader reads of some HTML we rendered: for search and snippets."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def edition_page(view):
    """Answer a published period's page from its current edition; render live otherwise.

    Live rendering is for drafts (staff only, checked by the view), for staff
    previewing the next edition (?preview=1), and for periods published before
    editions were kept.
    """

    @wraps(view)
    def wrapper(request, period, *args, **kwargs):
        with board_read_once():
            return answer(request, period, *args, **kwargs)

    def answer(request, period, *args, **kwargs):
        preview = request.GET.get("preview") and sees_unpublished(request.user)
        if preview:
            return view(request, period, *args, **kwargs)
        page = (
            EditionPage.objects.current()
            .filter(edition__period__slug=period, path=request.path)
            .select_related("edition")
            .only(
                "content_type",
                "title",
                "breadcrumbs",
                "body",
                "html",
                "path",
                "edition__static_fingerprint",
            )
            .first()
        )
        if page is not None:
            return serve(request, page)
        frozen = Edition.objects.current().filter(period__slug=period).exists()
        if frozen:
            raise Http404("This page is not part of the published report.")
        response = view(request, period, *args, **kwargs)
        if sees_unpublished(request.user):
            return response  # staff read a name where it is typed, to change it
        return without_held_back_names(response)

    return wrapper


def without_held_back_names(response):
    """A page rendered from the records for the public (no edition is current: while the
    report is republished for an embargo, or after republishing failed), with the name of a
    held-back review taken out wherever it was typed, as publishing takes it out. The embargo
    holds back the review's own records; a name typed in other words (a foreword, a
    meeting's minutes) is found only in the page."""
    if response.streaming or response.status_code != 200:
        return response
    text = response.content.decode(response.charset)
    found = held_back_names_in({"page": text})
    if found:
        names = {name for _where, name in found}
        text = redact_names(text, names | {unescape(name) for name in names})
        response.content = text.encode(response.charset)
        logger.warning("A page rendered from the records names a held-back review: taken out")
    return response


@lru_cache(maxsize=1)
def static_fingerprint() -> str:
    """Changes when the style sheets change, so that stored whole pages are not served stale."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    names = ("govuk/govuk-frontend.min.css", "bscb/site.css", "bscb/init.js")
    return hashlib.sha256("|".join(staticfiles_storage.url(n) for n in names).encode()).hexdigest()


def _download(page: EditionPage) -> HttpResponse:
    response = HttpResponse(page.body, content_type=page.content_type)
    if page.path.endswith(".csv"):
        response["Content-Disposition"] = f'attachment; filename="{page.path.rsplit("/", 1)[-1]}"'
    return response


def serve(request, page: EditionPage) -> HttpResponse:
    # A reader who is not signed in gets the whole stored page: no template to render.
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    if anonymous and page.html and page.edition.static_fingerprint == static_fingerprint():
        return HttpResponse(page.html, content_type=page.content_type)
    if not page.content_type.startswith("text/html"):
        return _download(page)
    # A signed-in reader gets the stored parts in a frame made for them (their name, sign out).
    return render(
        request,
        "report/page.html",
        {
            "page_title": mark_safe(page.title),  # stored escaped
            "page_breadcrumbs": mark_safe(page.breadcrumbs),
            "page_main": mark_safe(page.body),
            "page_description": page.description,
        },
    )


# Each edition at its own address, /<period>/editions/<number>/ and its pages under it, as it
# was published: the current one, and those it replaced, which say so.

ARCHIVE_PATH = re.compile(r"^/[^/]+/editions/[0-9]+/")


def _edition_links(html: str, live: str, own: str) -> str:
    """Links to the period's pages lead to the same edition's pages; links to another edition
    (the list of editions) stay as they are."""
    return re.sub(f'href="{re.escape(live)}(?!editions/)', f'href="{own}', html)


def archived(request, period: str, number: int, rest: str = "") -> HttpResponse:
    """A page, download or the PDF of an edition at its own address, as it was published.

    Only a readable edition (Edition.objects.readable: of a published period, never
    withdrawn), whoever asks: there is no preview here. A replaced edition says so and
    links to the current one; search engines are pointed to the same page in the current
    edition (canonical), or told to leave a replaced page out where the current edition
    has no such page. One query, and the board's record for the frame.
    """
    live = reverse("period_detail", args=[period])
    path = live + rest
    if path == reverse("report_pdf", args=[period]):
        return _archived_pdf(request, period, number)
    current = Edition.objects.current().filter(period=OuterRef("edition__period"))
    page = (
        EditionPage.objects.filter(
            edition__in=Edition.objects.readable(),
            edition__period__slug=period,
            edition__number=number,
            path=path,
        )
        .select_related("edition__period")
        .annotate(
            current_number=Subquery(current.values("number")[:1]),
            current_published_at=Subquery(current.values("published_at")[:1]),
            in_current=Exists(
                EditionPage.objects.current().filter(
                    edition__period=OuterRef("edition__period"), path=OuterRef("path")
                )
            ),
        )
        .first()
    )
    if page is None:
        return _withdrawn(request, period, number)
    edition = page.edition
    replaced = not edition.is_current
    if not page.content_type.startswith("text/html"):
        response = _download(page)
        if replaced:
            response["X-Robots-Tag"] = "noindex"
        return response
    own = reverse("edition_contents", args=[period, number])
    return render(
        request,
        "report/edition_page.html",
        {
            "page_title": mark_safe(page.title),  # stored escaped
            "page_breadcrumbs": mark_safe(_edition_links(page.breadcrumbs, live, own)),
            "page_main": mark_safe(_edition_links(page.body, live, own)),
            "page_description": page.description,
            "edition": edition,
            "replaced": replaced,
            "current_number": page.current_number,
            "current_published_at": page.current_published_at,
            "current_path": path if page.in_current else live,
            "canonical": site_url(path) if page.in_current else "",
            "noindex": replaced and not page.in_current,
        },
    )


def _withdrawn(request, period: str, number: int) -> HttpResponse:
    """A withdrawn edition of a published period answers 410 Gone, whatever part of it is
    asked for: a link to it (the current edition's list, a bookmark, the feed a reader saved)
    leads to the current report, and nothing of the edition is shown. Anything else is 404.
    """
    edition = (
        Edition.objects.withdrawn()
        .filter(period__slug=period, number=number)
        .select_related("period")
        .only("number", "published_at", "period__name", "period__slug")
        .first()
    )
    if edition is None:
        raise Http404("No such edition, or it cannot be read.")
    return render(request, "report/edition_withdrawn.html", {"edition": edition}, status=410)


def _archived_pdf(request, period: str, number: int) -> HttpResponse:
    edition = (
        Edition.objects.readable()
        .filter(period__slug=period, number=number)
        .exclude(pdf="")
        .only("pdf", "is_current")
        .first()
    )
    if edition is None:
        return _withdrawn(request, period, number)
    try:
        response = FileResponse(
            edition.pdf.open("rb"),
            content_type="application/pdf",
            filename=f"annual-report-{period}-edition-{number}.pdf",
        )
    except FileNotFoundError:
        logger.error("The PDF of %s edition %s is missing", period, number)
        raise Http404("The PDF of this edition is missing.") from None
    if not edition.is_current:
        response["X-Robots-Tag"] = "noindex"
    return response


class ReportIncomplete(Exception):
    def __init__(self, check):
        super().__init__("Statutory items are missing: confirm to publish anyway.")
        self.check = check


class HeldBackNamesFound(Exception):
    """Pages about to be published name a review whose publication is held back."""

    def __init__(self, found: list[tuple[str, str]]):
        super().__init__("A held-back review is named on pages about to be published.")
        self.found = found


def _one_spaced(text: str) -> str:
    """Any run of white space (a line break, a no-break space, a tab) as one space."""
    return " ".join(text.split())


def _readable(text: str) -> str:
    """Text as a reader reads it: markup entities and JSON escapes undone, tags taken out
    (emphasis inside a name), any white space as one space."""
    forms = [text, unescape(text), unescape(re.sub(r"<[^>]+>", "", text))]
    if text.lstrip().startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            forms.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(_one_spaced(form) for form in forms).casefold()


def held_back_names_in(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(where, review) for each text that names a held-back review, escaped or not."""
    names = [
        (name, _one_spaced(name).casefold())
        for name in embargo.withheld_reviews().values_list("pseudonym", flat=True)
        if name.strip()
    ]
    found = []
    for where, text in texts.items():
        if not text:
            continue
        readable = _readable(text)
        found += [(where, name) for name, folded in names if folded in readable]
    return found


WITHHELD = "[a review that cannot yet be published]"


def redact_names(text: str, names: set[str]) -> str:
    """The text without the names, however they were written (as typed, escaped, in JSON)."""
    if text.lstrip().startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    for name in names:
        text = re.sub(_name_pattern(name), WITHHELD, text, flags=re.IGNORECASE)
    return text


# Between the words of a name: white space however written, and tags (emphasis).
_GAP = r"(?:\s|&nbsp;|&#160;|&#xa0;|\\n|<[^>]+>)+"


def _name_pattern(name: str) -> str:
    def forms(word: str) -> str:
        escaped = escape(word)
        spellings = {word, escaped, escaped.replace("&#x27;", "&#39;")}
        return "(?:" + "|".join(re.escape(s) for s in sorted(spellings)) + ")"

    return _GAP.join(forms(word) for word in name.split())


def released_in(edition: Edition) -> list[str]:
    """The reviews this edition released from embargo that are still public: names from records."""
    reviews = embargo.public(CaseReview.objects.filter(pk__in=edition.released_reviews))
    return list(reviews.order_by("pseudonym").values_list("pseudonym", flat=True))


def change_note(edition: Edition) -> str:
    """What changed in an edition, as readers see it: the staff's note, then what the records say.

    Composed when it is shown, so a review held back again is never named: a staff
    note that names a review held back now is left out while it is held back.
    """
    note = edition.note.strip()
    parts = [note] if note and not held_back_names_in({"note": note}) else []
    names = released_in(edition)
    if names:
        parts.append(f"Released from a publication embargo: {', '.join(names)}.")
    return " ".join(parts)


def _embargo_state(previous: Edition | None) -> dict:
    shown = sorted(embargo.public_review_ids())
    held = embargo.held_back_records()
    released = []
    if previous is not None:
        before = set(previous.held_back.get(CaseReview._meta.label, []))
        released = [pk for pk in shown if pk in before]
    return {
        "reviews_shown": shown,
        "held_back": held,
        "newest_records": embargo.newest_keys(),
        "released_reviews": released,
    }


# A publishing step as the progress page shows it: (what, how many done, of how many).
Progress = Callable[[str, "int | None", "int | None"], None]


def _no_progress(step: str, done: int | None = None, total: int | None = None) -> None:
    pass


class PublishedMeanwhile(Exception):
    """Something publishing read changed before the new edition could be stored."""


def period_publish(
    *,
    period: ReportingPeriod,
    user=None,
    note: str = "",
    accept_missing: bool = False,
    accept_names: bool = False,
    redact: bool = False,
    progress: Progress | None = None,
    after_edition: int | None = None,
) -> Edition:
    """Publish the period's report as a new edition.

    In three stages, so that the long part holds no transaction open:
    1. render every page and the PDF (reads only; `progress` hears each page);
    2. store the edition, its pages and the period's state in one short transaction:
       readers see the old edition until it commits, never half of each;
    3. once it has committed, write the copy on disk and tell the servers.
    Refused (nothing stored) when the statutory check finds items missing or a page
    names a held-back review, unless the caller accepts that; and when another edition
    was stored, or the embargo changed, while this one was rendered (publish again).
    `redact` (for republishing that nobody watches) stores the pages with such names
    taken out, and no PDF. `after_edition` is the newest edition number the caller saw
    (the officer's press of Publish): refused when another came since. The background task (reports/tasks.py) and the synchronous
    callers (commands, tests, republishing for the embargo) all come through here.
    """
    from bscb.reports.checker import check_report

    progress = progress or _no_progress
    started = time.perf_counter()
    progress("Checking the report", None, None)
    check = check_report(period)
    if check.missing and not accept_missing:
        raise ReportIncomplete(check)
    previous = period.editions.filter(is_current=True).first()
    state = _embargo_state(previous)
    last = period.editions.aggregate(last=Max("number"))["last"] or 0
    if after_edition is not None and last != after_edition:
        raise PublishedMeanwhile(f"Edition {last} was published after Publish was pressed.")
    edition = Edition(
        period=period,
        # _store stores it only under this number: no edition can come in between.
        number=last + 1,
        published_at=timezone.now(),
        published_by=user if user and user.is_authenticated else None,
        note=note,
        missing_items="\n".join(item.title for item in check.missing),
        is_current=True,
        static_fingerprint=static_fingerprint(),
        **state,
    )
    # The pages are rendered as the published report: no draft banner on a first edition.
    was = period.status, period.published_on
    period.status = ReportingPeriod.Status.PUBLISHED
    period.published_on = period.published_on or timezone.localdate()
    try:
        with board_read_once():
            stored = _render(
                edition, note=note, accept_names=accept_names, redact=redact, progress=progress
            )
        progress(f"Storing edition {edition.number}", None, None)
        storing = time.perf_counter()
        with transaction.atomic():
            _store(edition, stored, state=state, previous=previous)
            # Before the notice's own hook: nobody is told before nginx has the new pages.
            transaction.on_commit(partial(_copy_to_disk, edition), robust=True)
            if not redact:
                # Republishing that nobody watches (a review released) tells nobody.
                notify_report_published(
                    edition_key=f"edition:{edition.pk}",
                    title=f"{Board.load().report_title} {period.name}",
                    number=edition.number,
                    published_at=edition.published_at,
                    path=reverse("period_detail", args=[period.slug]),
                )
        storing = time.perf_counter() - storing
    except BaseException:
        period.status, period.published_on = was
        # Nothing was stored (or it rolled back); the PDF's file would stay.
        if edition.pdf:
            edition.pdf.delete(save=False)
        raise
    progress("Writing the copy on disk", None, None)
    logger.info(
        "Published %s in %.1f s (the store's transaction: %.2f s)",
        edition,
        time.perf_counter() - started,
        storing,
    )
    return edition


DISK_COPY_FAILED = (
    "The copy on disk was not written (see the log): readers get the pages from the app, "
    "and the next publication writes it again."
)


def _copy_to_disk(edition: Edition) -> None:
    """Once the edition is stored: the copy on disk, and the servers told. The edition is
    current whatever happens here, so a failure is recorded on it, not raised."""
    try:
        touch_stamp()
    except Exception:
        # touch_stamp logged it and took the link away: nginx passes every page to the app.
        edition.warnings = "\n".join(w for w in (edition.warnings, DISK_COPY_FAILED) if w)
        Edition.objects.filter(pk=edition.pk).update(warnings=edition.warnings)


@transaction.atomic
def _store(edition: Edition, built: list[EditionPage], *, state: dict, previous) -> None:
    """One short transaction: the new edition replaces the old one with every page at once."""
    period = ReportingPeriod.objects.select_for_update().get(pk=edition.period_id)
    # Locked: a second publisher waits here, then finds the number taken and stops.
    last = period.editions.aggregate(last=Max("number"))["last"] or 0
    current = period.editions.filter(is_current=True).values_list("pk", flat=True).first()
    if last + 1 != edition.number or current != (previous.pk if previous else None):
        raise PublishedMeanwhile(
            f"Edition {last} was published while this one was being made: publish again."
        )
    now = _embargo_state(previous)
    if any(now[key] != state[key] for key in ("reviews_shown", "held_back", "released_reviews")):
        raise PublishedMeanwhile(
            "A publication embargo changed while the pages were being made: publish again."
        )
    # Records added while the pages were made may be on them: counted as existing, so a
    # later embargo on one withdraws this edition (the safe side).
    edition.newest_records = now["newest_records"]
    period.editions.filter(is_current=True).update(is_current=False)
    edition.save()
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.PUBLISHED, published_on=edition.period.published_on
    )
    for page in built:
        page.edition = edition
    EditionPage.objects.bulk_create(built)


@dataclass
class Renders:
    """The period's sections, each rendered once from one gathering of its records."""

    sections: list
    on_pages: list[str]  # page-level headings, for each section's own page
    in_report: list[tuple[object, str]]  # report-level headings: the whole report and the PDF
    meetings: list[tuple[Meeting, int | None]]  # the meetings they show, numbered

    @classmethod
    def of(cls, period: ReportingPeriod, progress: Progress = _no_progress) -> Renders:
        from bscb.reports.report import PAGE_LEVELS, REPORT_LEVELS, report_sections

        reader = AnonymousUser()
        sections = report_sections(period)
        on_pages, in_report, shown = [], [], {}
        for done, section in enumerate(sections):
            progress("Rendering sections", done, len(sections))
            context = section.context(period, reader)
            on_pages.append(section.render(period, reader, None, PAGE_LEVELS, context=context))
            in_report.append(
                (section, section.render(period, reader, None, REPORT_LEVELS, context=context))
            )
            for meeting in pages.meetings_shown(context):
                shown.setdefault(meeting.pk, meeting)
        meetings = list(shown.values())
        pages.with_attendances(meetings)
        numbered = [(m, None if m.date_known else m.number_in(period)) for m in meetings]
        return cls(sections, on_pages, in_report, numbered)

    def parents(self, period: ReportingPeriod) -> dict[int, object]:
        """For each group with meetings shown, the section that lists them."""
        groups = {meeting.group_id: meeting.group for meeting, _number in self.meetings}
        return {
            pk: pages.meeting_parent(period, group, self.sections) for pk, group in groups.items()
        }


def edition_pages(
    period: ReportingPeriod,
    renders: Renders,
    entries: list[dict],
    progress: Progress = _no_progress,
) -> list[Page]:
    """Every page and download of the page list but the contents page and the PDF, from the
    renders: each section's page, the whole report, the children's summary, the meetings'
    pages, the data page and the datasets. `progress` hears each page as the page list
    counts them (the contents page and the PDF are not among them)."""
    total = sum(1 for entry in entries if entry["kind"] not in ("contents", "pdf"))
    built: list[Page] = []

    def add(*made: Page) -> None:
        built.extend(made)
        progress("Rendering pages", min(len(built), total), total)

    for section, body in zip(renders.sections, renders.on_pages, strict=True):
        add(pages.section_page(period, section, body, entries))
    add(pages.whole_report_page(period, renders.in_report))
    if period.children_summary:
        add(pages.children_page(period))
    parents = renders.parents(period)
    panel = Group.objects.child_death_panel()
    for meeting, number in renders.meetings:
        add(
            pages.meeting_page(
                period,
                meeting,
                meeting.report_attendances,
                number,
                parents[meeting.group_id],
                panel,
            )
        )
    add(pages.data_page(period, renders.sections))
    for dataset in kinds.datasets_offered(renders.sections):
        rows = dataset.rows(period)
        add(pages.dataset_csv(period, dataset, rows), pages.dataset_json(period, dataset, rows))
    return built


def _words(page: Page) -> str:
    return "\n".join((page.title, page.breadcrumbs, page.main, page.body, page.description))


def _redact(page: Page, names: set[str]) -> None:
    page.title = redact_names(page.title, names)
    page.breadcrumbs = redact_names(page.breadcrumbs, names)
    page.main = redact_names(page.main, names)
    page.body = redact_names(page.body, names)
    # Plain text, as a reader reads it: a name typed with an entity ("R&amp;B") reads unescaped.
    page.description = redact_names(page.description, names | {unescape(n) for n in names})


def _render(
    edition: Edition, *, note: str, accept_names: bool, redact: bool, progress: Progress
) -> list[EditionPage]:
    """Render the edition's pages, check them for held-back names, make the PDF: reads only.

    Returns the rows to store (not saved); the PDF's file is written, the edition not.
    """
    period = edition.period
    renders = Renders.of(period, progress=progress)
    entries = pages.page_list(period, renders.sections, renders.meetings)
    without_pdf = [e for e in entries if e["kind"] != "pdf"]
    built = [
        pages.contents_page(period, without_pdf, edition),
        *edition_pages(period, renders, entries, progress=progress),
    ]
    progress("Checking the pages for held-back names", None, None)
    fragments = edition_fragments(period)
    found = held_back_names_in(
        {
            "the note of this edition": note,
            **{page.path: _words(page) for page in built},
            **{f.path: f.body for f in fragments},
        }
    )
    names = set()
    if found:
        if not (accept_names or redact):
            raise HeldBackNamesFound(found)
        edition.warnings = "\n".join(f"{where} names {name}" for where, name in found)
        if redact:
            names = {name for _where, name in found}
            for page in built:
                _redact(page, names)
            for fragment in fragments:
                fragment.body = redact_names(fragment.body, names)
            for entry in entries:
                entry["title"] = redact_names(entry["title"], names)
            # A PDF cannot be redacted: none is made, and the contents page offers none.
            edition.warnings += "\nThe names were taken out of the pages and the PDF left out."
        logger.error("Publishing %s naming a held-back review: %s", edition, edition.warnings)
    if settings.EDITION_PDF and not names:
        progress("Making the PDF", None, None)
        pdf, count = pages.pdf(period, renders.in_report, edition)
        if pdf is not None:
            edition.pdf.save(
                f"{period.slug}-edition-{edition.number}.pdf", ContentFile(pdf), save=False
            )
            edition.pdf_pages = count
            # The contents page again, now that it can offer the PDF and give its length.
            built[0] = pages.contents_page(period, entries, edition)
    edition.contents = entries if edition.pdf else without_pdf
    return [*fragments, *(_stored(edition, page) for page in built)]


def _stored(edition: Edition, page: Page) -> EditionPage:
    if not page.is_html:
        # A JSON file is served whole; a CSV keeps its attachment header by way of the view.
        whole = page.body if page.kind == "json" else ""
        return EditionPage(
            edition=edition,
            path=page.path,
            content_type=page.content_type,
            body=page.body,
            html=whole,
        )
    return EditionPage(
        edition=edition,
        path=page.path,
        content_type=page.content_type,
        title=escape(page.title),
        breadcrumbs=page.breadcrumbs,
        body=page.main,
        html=pages.whole_page(page, edition.period),
        text=plain_text(page.main),
        description=page.description,
    )


def edition_fragments(period: ReportingPeriod) -> list[EditionPage]:
    """What public pages outside the report show of the period (themes, calendars), to freeze.

    Stored under addresses no request can have (they do not start with a slash), so
    they are read by the theme and calendar views, never served as pages.
    """
    from bscb.reports.feeds import CALENDAR_FRAGMENT, calendar_fragments
    from bscb.reports.themes import THEME_FRAGMENT, theme_fragments

    return [
        EditionPage(path=path, content_type=kind, body=body)
        for kind, fragments in (
            (THEME_FRAGMENT, theme_fragments(period)),
            (CALENDAR_FRAGMENT, calendar_fragments(period)),
        )
        for path, body in fragments.items()
    ]


def _newly_held_back(edition: Edition, held: dict[str, list[int]]) -> bool:
    """Whether a record held back now existed, and was not held back, when the edition was made."""
    for label, pks in held.items():
        new = set(pks) - set(edition.held_back.get(label, []))
        if new and min(new) <= edition.newest_records.get(label, 0):
            return True
    return False


def embargo_changes() -> tuple[list[Edition], list[Edition]]:
    """What a change to the embargo asks of the editions: (those to withdraw, the current
    ones to republish).

    By identity, against what each edition recorded when it was published: a record
    held back now that existed then and was not held back then may be on its pages. Any
    edition that may show one, current or replaced, is withdrawn: nobody reads it at its
    own address any more. A current edition is republished when it may show one, or holds
    back a review now released.
    """
    editions = list(
        Edition.objects.filter(Q(is_withdrawn=False) | Q(is_current=True))
        .select_related("period")
        .defer("contents", "note", "missing_items", "warnings")
    )
    if not editions:
        return [], []
    held = embargo.held_back_records()
    shown = embargo.public_review_ids()
    showing = {edition.pk for edition in editions if _newly_held_back(edition, held)}
    withdraw = [
        edition for edition in editions if edition.pk in showing and not edition.is_withdrawn
    ]
    stale = [
        edition
        for edition in editions
        if edition.is_current
        and edition.period.status == ReportingPeriod.Status.PUBLISHED
        and (
            edition.pk in showing or shown & set(edition.held_back.get(CaseReview._meta.label, []))
        )
    ]
    return withdraw, stale


def take_out_of_service(withdraw: list[Edition]) -> bool:
    """Withdraw the editions that may show a record held back now: nobody reads them at their
    own address, and a current one stops being served (Edition.objects.current) until its
    republished edition replaces it. Whether a current edition was among them (the copy on
    disk must then be written again)."""
    if not withdraw:
        return False
    Edition.objects.filter(pk__in=[e.pk for e in withdraw]).update(is_withdrawn=True)
    logger.warning("Withdrawn for the embargo: %s", ", ".join(str(e) for e in withdraw))
    return any(edition.is_current for edition in withdraw)


def _write_disk_copy() -> None:
    with contextlib.suppress(Exception):  # touch_stamp logged it and took the link away
        touch_stamp()


# How often republishing for the embargo looks again when another edition was stored meanwhile.
EMBARGO_ATTEMPTS = 3


def republish_for_embargo() -> list[Edition]:
    """Withdraw each edition that may show a record now held back, and republish each current
    edition whose embargo picture changed; the others stay as they are.

    The withdrawn editions are out of service (and off the disk) before anything is
    rendered: while the new edition is made, readers get the pages rendered from the
    records, which apply the embargo, never the old pages. If an edition was stored
    meanwhile, what the embargo asks is worked out again (that edition may apply it
    already); if republishing fails, the stale edition stops being current too.
    """
    published = []
    for attempt in range(1, EMBARGO_ATTEMPTS + 1):
        withdraw, stale = embargo_changes()
        if take_out_of_service(withdraw):
            _write_disk_copy()
        again = False
        for edition in stale:
            try:
                published.append(
                    period_publish(period=edition.period, accept_missing=True, redact=True)
                )
            except PublishedMeanwhile:
                if attempt < EMBARGO_ATTEMPTS:
                    logger.info("%s was replaced meanwhile: the embargo is checked again", edition)
                    again = True
                    continue
                logger.exception("Republishing %s for the embargo failed: withdrawn", edition)
                _stop_serving(edition)
            except Exception:
                logger.exception("Republishing %s for the embargo failed: withdrawn", edition)
                _stop_serving(edition)
        if not again:
            break
    return published


def _stop_serving(edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(is_current=False, is_withdrawn=True)
    _write_disk_copy()


def embargo_may_have_changed(sender, instance=None, raw=False, **kwargs):
    """Connected to saves and deletions of reviews and every record linked to one.

    In the change's own transaction, the editions that may show a record held back now
    are taken out of service: the app stops serving them the moment the change commits.
    Once it has committed, the copy on disk is written again (nginx stops serving them a
    moment later), then the current editions are republished. A check that finds nothing
    changed costs one query when nothing is published, one per kind of linked record else.
    """
    # Raw saves too: restoring a record's history (django-reversion) writes its linked
    # records raw. Robust: the change is saved whatever happens to the republishing (which logs).
    withdraw, _stale = embargo_changes()
    if take_out_of_service(withdraw):
        transaction.on_commit(touch_stamp, robust=True)
    transaction.on_commit(republish_for_embargo, robust=True)


def edition_deleted(sender, instance=None, **kwargs):
    """Connected to Edition's deletions, which nobody should make (the admin refuses them; a
    period's deletion cascades): the files nginx serves are written again once it commits,
    so a deleted edition's pages are not served from disk."""
    transaction.on_commit(touch_stamp, robust=True)


def _disk_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "editions" / "disk"


# An address written to disk as a file nginx can find without Python: slash-separated
# segments of letters, digits and ". _ ~ -", none of them "." or "..", ending with a slash
# (a page, kept as <address>index.html) or with a file name (a download). Anything else is
# left to the app. Nothing is ever found by joining an address a reader sent: nginx looks up
# its own decoded, normalised $uri, and DiskCopy looks the address up in the manifest.
DISK_ADDRESS = re.compile(r"/(?:(?!\.{1,2}/)[A-Za-z0-9._~-]+/)*(?:(?!\.{1,2}$)[A-Za-z0-9._~-]+)?")


def disk_file(path: str) -> str | None:
    """Where an address's file lies in a publication's folder, or None if it is not written."""
    if not DISK_ADDRESS.fullmatch(path) or path == "/":
        return None
    return "site" + path + ("index.html" if path.endswith("/") else "")


def write_pages_to_disk() -> Path:
    """Write the current editions' pages as files, for nginx and for outages.

    Each publication writes a folder of its own: `site/<address>index.html` for each
    page (and `site/<address>` for a download served whole), for the addresses
    `disk_file` accepts, and a manifest that maps each address to its file and content
    type. Readers are switched to the new folder in one step (the `current` symlink
    replaced atomically), then older folders go, with the pages they held. nginx
    serves `current/site/` (deploy/nginx.conf); the app reads it, through the
    manifest only, while the database is down (DiskCopy).

    One writer at a time, whatever process it runs in (a worker publishing, a web process
    withdrawing for an embargo, run_daily): each holds an exclusive lock on a file in the
    disk root from reading the database to switching, so none deletes another's folder
    half-written, and the last to switch read the newest committed data.
    """
    root = _disk_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return _write_pages(root)


LOCK_FILE = ".lock"


def _write_pages(root: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{timezone.now():%Y%m%d%H%M%S}-", dir=root))
    # nginx's workers run as another user: the folder is readable, as a web root is.
    folder.chmod(0o755)
    manifest = {}
    current = (
        EditionPage.objects.current()
        .filter(edition__static_fingerprint=static_fingerprint())
        .exclude(html="")
    )
    for path, html, content_type in current.values_list("path", "html", "content_type").iterator():
        name = disk_file(path)
        if name is None:
            continue
        target = folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
            target.write_text(html, encoding="utf-8")
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            # "/a/b" and "/a/b/" cannot both be files: the second is left to the app.
            logger.warning("%s is not written to disk: another address holds its place", path)
            continue
        target.chmod(0o644)
        manifest[path] = {"file": name, "content_type": content_type}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    link = root / f".current-{folder.name}"
    link.symlink_to(folder.name)
    os.replace(link, root / "current")
    (root / "current.json").unlink(missing_ok=True)  # the pointer of earlier versions
    for old in root.iterdir():
        if old.is_dir() and not old.is_symlink() and old.name != folder.name:
            shutil.rmtree(old, ignore_errors=True)
    return folder


class DiskCopy:
    """The pages on disk, looked up by address in the current folder's manifest."""

    def __init__(self):
        self.folder = None
        self.manifest: dict = {}

    def lookup(self, path: str) -> tuple[str, str] | None:
        try:
            name = os.readlink(_disk_root() / "current")
            if "/" in name or name.startswith("."):
                return None
            folder = _disk_root() / name
            if folder != self.folder:
                self.manifest = json.loads((folder / "manifest.json").read_text())
                self.folder = folder
            entry = self.manifest.get(path)
            # The manifest's own name for the file, checked again: never the reader's address.
            if entry is None or entry["file"] != disk_file(path):
                return None
            return (folder / entry["file"]).read_text(encoding="utf-8"), entry["content_type"]
        except (OSError, ValueError, KeyError, TypeError):
            return None


GENERATION_KEY = "bscb:editions:generation"


def _shared_cache():
    """Django's cache where a shared one (Redis) is configured (CACHE_URL), else None."""
    if not settings.EDITIONS_SHARED_CACHE:
        return None
    from django.core.cache import cache

    return cache


def current_generation() -> tuple:
    """What identifies the set of current editions, asked afresh on every request.

    From the shared cache where one is configured (a token that publishing replaces,
    one cache read), otherwise from the database: the number of current editions of
    published periods and the newest one's id, in one small query. Publishing adds an
    edition (a new newest id) and withdrawing takes one away (one fewer), so either
    changes it the moment it commits, for every server process alike. No two different
    sets of current editions give the same pair: an edition stops being current for
    good, and one that becomes current has a newer id than any before it.
    """
    cache = _shared_cache()
    if cache is not None:
        try:
            token = cache.get(GENERATION_KEY)
            if token is None:
                # add(), never set(): a token publishing has just set is never overwritten.
                cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
                token = cache.get(GENERATION_KEY)
            if token is not None:
                return ("cache", token)
        except Exception:
            logger.exception("The shared cache did not answer: the database decides")
    sql, params = _generation_sql(Edition.objects.db)
    with connections[Edition.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    count, newest = row or (0, None)
    return ("database", count, newest)


@lru_cache(maxsize=4)
def _generation_sql(using: str) -> tuple[str, tuple]:
    """The SQL of `current_generation`'s question, made from `Edition.objects.current()` once
    for each process: building and compiling the query took about half of each stored page's
    time in the app (0.6 of 1.5 ms), for a question whose wording never changes."""
    current = (
        Edition.objects.current()
        .order_by()
        .values("is_current")
        .annotate(count=Count("pk"), newest=Max("pk"))
        .values_list("count", "newest")
    )
    return current.query.get_compiler(using=using).as_sql()


def touch_stamp() -> None:
    """Tell every server process, and nginx, that the set of published pages changed.

    Called when publishing (or withdrawing) commits. Server processes notice by
    themselves through `current_generation` (the database); a shared cache's token is
    replaced first, then the files nginx serves are written and switched.
    """
    cache = _shared_cache()
    if cache is not None:
        try:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        except Exception:
            # Readers would keep the old pages until the cache answers again: say so loudly.
            logger.exception("The shared cache did not take the new edition's token")
    try:
        write_pages_to_disk()
    except Exception:
        # nginx must not go on serving pages that are no longer current (one withdrawn for
        # an embargo): without the link it passes every page to the app, which asks the
        # database.
        logger.exception("Writing the editions' pages to disk failed: nginx passes them on")
        with contextlib.suppress(OSError):
            (_disk_root() / "current").unlink(missing_ok=True)
        raise


class EditionMiddleware:
    """Answers a reader who is not signed in with a stored edition page, before URL routing.

    Placed straight after the security and static-file middleware, it answers
    like a static file; it sets the frame denial itself, since the clickjacking
    middleware comes later. Anything it does not hold goes on to the views.

    Each process keeps the pages it served in memory, keyed by the current
    editions' generation (`current_generation`: one small query per request, or
    one read of a shared cache), so every app server serves a new edition the
    moment publishing commits, with nothing shared but the database.
    """

    SKIP = ("/admin/", "/workspace/", "/accounts/", "/static/", "/media/")
    MAX_PAGES = 4096

    def __init__(self, get_response):
        self.get_response = get_response
        self.generation = None
        self.pages: dict[str, tuple[str, str] | None] = {}
        self.disk = DiskCopy()

    def _lookup(self, path: str):
        try:
            generation = current_generation()
        except DatabaseError:
            # The database is down: the current editions' pages kept on disk still serve.
            copy = self.disk.lookup(path)
            if copy is not None:
                return copy
            raise
        if generation != self.generation:
            self.pages.clear()
            self.generation = generation
        if path in self.pages:
            return self.pages[path]
        page = (
            EditionPage.objects.current()
            .filter(edition__static_fingerprint=static_fingerprint(), path=path)
            .exclude(html="")
            .values_list("html", "content_type")
            .first()
        )
        if len(self.pages) < self.MAX_PAGES:
            self.pages[path] = page
        return page

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and request.path_info.count("/") >= 2
            and not request.path_info.startswith(self.SKIP)
            # An edition's own address is never a current page: its view answers it.
            and not ARCHIVE_PATH.match(request.path_info)
        ):
            try:
                page = self._lookup(request.path_info)
            except DatabaseError as error:
                from bscb.core.security import DatabaseUnavailableMiddleware

                return DatabaseUnavailableMiddleware.unavailable(request, error)
            if page is not None:
                response = HttpResponse(page[0], content_type=page[1])
                response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                return response
        return self.get_response(request)
