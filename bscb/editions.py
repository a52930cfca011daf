"""Editions: publishing freezes the report's pages, so what the public reads changes only on republishing.

Publishing renders every page and download of the period (found by following
the contents page's links, as a reader would) and stores them with the PDF.
Public requests for a published period are then answered from the stored
edition: one query, whatever the records behind the page.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from functools import lru_cache, wraps
from html import unescape
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory  # builds the anonymous request an edition is rendered for
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from bscb.models import Edition, EditionPage, ReportingPeriod
from bscb.roles import sees_unpublished

logger = logging.getLogger(__name__)


def _part(html: str, name: str) -> str:
    """A part of a rendered page: its title, or what base.html marks as breadcrumbs or main."""
    if name == "title":
        match = re.search(r"<title>(.*) \u2013 [^<]*</title>", html, re.DOTALL)
    else:
        match = re.search(rf"<!--edition:{name}-->(.*?)<!--/edition:{name}-->", html, re.DOTALL)
    return match.group(1).strip() if match else ""


def plain_text(html: str) -> str:
    """What a reader reads of some HTML: for search and snippets."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def edition_page(view):
    """Answer a published period's page from its current edition; render live otherwise.

    Live rendering is for drafts (staff only, checked by the view), for staff
    previewing the next edition (?preview=1), and for building an edition.
    """

    @wraps(view)
    def wrapper(request, period, *args, **kwargs):
        preview = request.GET.get("preview") and sees_unpublished(request.user)
        if getattr(request, "render_live", False) or preview:
            return view(request, period, *args, **kwargs)
        page = (
            EditionPage.objects.filter(
                edition__is_current=True,
                edition__period__slug=period,
                edition__period__status=ReportingPeriod.Status.PUBLISHED,
                path=request.path,
            )
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
        frozen = Edition.objects.filter(
            is_current=True, period__slug=period, period__status=ReportingPeriod.Status.PUBLISHED
        ).exists()
        if frozen:
            raise Http404("This page is not part of the published report.")
        return view(request, period, *args, **kwargs)

    return wrapper


@lru_cache(maxsize=1)
def static_fingerprint() -> str:
    """Changes when the style sheets change, so that stored whole pages are not served stale."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    names = ("govuk/govuk-frontend.min.css", "bscb/site.css", "bscb/init.js")
    return hashlib.sha256("|".join(staticfiles_storage.url(n) for n in names).encode()).hexdigest()


def serve(request, page: EditionPage) -> HttpResponse:
    # A reader who is not signed in gets the whole stored page: no template to render.
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    if anonymous and page.html and page.edition.static_fingerprint == static_fingerprint():
        return HttpResponse(page.html, content_type=page.content_type)
    if not page.content_type.startswith("text/html"):
        response = HttpResponse(page.body, content_type=page.content_type)
        if page.path.endswith(".csv"):
            response["Content-Disposition"] = (
                f'attachment; filename="{page.path.rsplit("/", 1)[-1]}"'
            )
        return response
    return render(
        request,
        "bscb/edition_page.html",
        {
            "stored_title": mark_safe(page.title),
            "stored_breadcrumbs": mark_safe(page.breadcrumbs),
            "stored_main": mark_safe(page.body),
        },
    )


def render_live(path: str, edition: Edition | None = None) -> HttpResponse:
    """A public page as an anonymous reader would get it, rendered from the records now."""
    match = resolve(path)
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.render_live = True
    request.resolver_match = match
    request.edition_being_built = edition
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def crawl_live(period: ReportingPeriod, edition: Edition | None = None) -> dict[str, HttpResponse]:
    """Every page and download of the period's report reachable from its contents page."""
    prefix = reverse("period_detail", args=[period.slug])
    pdf_path = reverse("report_pdf", args=[period.slug])
    found: dict[str, HttpResponse] = {}
    queue = [prefix]
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        response = render_live(path, edition)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} while publishing")
        found[path] = response
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#?]+)', response.content.decode()):
            if href.startswith(prefix) and href != pdf_path and href not in found:
                queue.append(href)
    return found


def render_pdf(period: ReportingPeriod, edition: Edition | None = None) -> tuple[bytes | None, int]:
    """The report as a tagged A4 PDF (PDF/UA-1), and its page count; (None, 0) where WeasyPrint fails."""
    from bscb.report import REPORT_LEVELS, report_sections

    sections = [
        (s, s.render(period, AnonymousUser(), None, REPORT_LEVELS)) for s in report_sections(period)
    ]
    html = render_to_string(
        "report/print.html",
        {
            "period": period,
            "sections": sections,
            "edition": edition,
            "board_name": settings.BOARD_NAME,
        },
    )
    try:
        import weasyprint  # imported late: it takes half a second and is needed only here
    except OSError as error:  # Pango missing on this machine
        logger.error("No PDF: WeasyPrint cannot load its libraries: %s", error)
        return None, 0
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)


class ReportIncomplete(Exception):
    def __init__(self, check):
        super().__init__("Statutory items are missing: confirm to publish anyway.")
        self.check = check


@transaction.atomic
def period_publish(
    *, period: ReportingPeriod, user=None, note: str = "", accept_missing: bool = False
) -> Edition:
    """Publish the period's report as a new edition.

    One transaction: readers see the old edition until every page of the new
    one is stored, never half of each.
    """
    from bscb.checker import check_report

    check = check_report(period)
    if check.missing and not accept_missing:
        raise ReportIncomplete(check)
    started = time.perf_counter()
    number = (period.editions.aggregate(last=Max("number"))["last"] or 0) + 1
    period.editions.filter(is_current=True).update(is_current=False)
    edition = Edition.objects.create(
        period=period,
        number=number,
        published_at=timezone.now(),
        published_by=user if user and user.is_authenticated else None,
        note=note,
        missing_items="\n".join(item.title for item in check.missing),
        is_current=True,
        static_fingerprint=static_fingerprint(),
    )
    period.status = ReportingPeriod.Status.PUBLISHED
    period.published_on = period.published_on or timezone.localdate()
    period.save(update_fields=["status", "published_on"])
    if settings.EDITION_PDF:
        # Before the pages, so that the contents page can give the PDF's length.
        pdf, pages = render_pdf(period, edition)
        if pdf is not None:
            edition.pdf.save(f"{period.slug}-edition-{number}.pdf", ContentFile(pdf), save=False)
            edition.pdf_pages = pages
            edition.save(update_fields=["pdf", "pdf_pages"])
    for path, response in crawl_live(period, edition).items():
        content_type = response.get("Content-Type", "text/html; charset=utf-8")
        text = response.content.decode()
        if content_type.startswith("text/html"):
            page = EditionPage(
                edition=edition,
                path=path,
                content_type=content_type,
                title=_part(text, "title"),
                breadcrumbs=_part(text, "breadcrumbs"),
                body=_part(text, "main"),
                html=text,
            )
            page.text = plain_text(page.body)
        else:
            page = EditionPage(edition=edition, path=path, content_type=content_type, body=text)
            if path.endswith(".json"):
                page.html = text  # served whole; a CSV keeps its attachment header via the view
        page.save()
    transaction.on_commit(touch_stamp)
    logger.info("Published %s in %.1f s", edition, time.perf_counter() - started)
    return edition


def _stamp_path() -> Path:
    return Path(settings.MEDIA_ROOT) / "editions" / "published.stamp"


def _disk_path(path: str) -> Path:
    name = path.strip("/")
    return (
        Path(settings.MEDIA_ROOT)
        / "editions"
        / "pages"
        / (f"{name}/index.html" if path.endswith("/") else name)
    )


def write_pages_to_disk() -> None:
    """Keep the current editions' pages as files too, so readers get them while the database is down."""
    pages = EditionPage.objects.filter(
        edition__is_current=True, edition__period__status=ReportingPeriod.Status.PUBLISHED
    ).exclude(html="")
    for path, html in pages.values_list("path", "html").iterator():
        target = _disk_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def touch_stamp() -> None:
    """Tell every server process that the set of published pages changed."""
    write_pages_to_disk()
    stamp = _stamp_path()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(timezone.now().isoformat())


class EditionMiddleware:
    """Answers a reader who is not signed in with a stored edition page, before URL routing.

    Placed straight after the security and static-file middleware, it answers
    like a static file; it sets the frame denial itself, since the clickjacking
    middleware comes later. Anything it does not hold goes on to the views.

    Each process keeps the pages it served in memory until a publication
    touches the stamp file in MEDIA_ROOT (one stat per request, no query). With
    several servers, MEDIA_ROOT must be shared, as it is for the PDFs.
    """

    SKIP = ("/admin/", "/workspace/", "/accounts/", "/static/", "/media/")
    MAX_PAGES = 4096

    def __init__(self, get_response):
        self.get_response = get_response
        self.generation = None
        self.pages: dict[str, tuple[str, str] | None] = {}

    def _lookup(self, path: str):
        try:
            stamp = _stamp_path()
            generation = (str(stamp), stamp.stat().st_mtime_ns)
        except OSError:
            generation = None  # nothing published here yet: ask the database every time
        if generation != self.generation or generation is None:
            self.pages.clear()
            self.generation = generation
        if path in self.pages:
            return self.pages[path]
        try:
            page = (
                EditionPage.objects.filter(
                    edition__is_current=True,
                    edition__period__status=ReportingPeriod.Status.PUBLISHED,
                    edition__static_fingerprint=static_fingerprint(),
                    path=path,
                )
                .exclude(html="")
                .values_list("html", "content_type")
                .first()
            )
        except DatabaseError:
            # The database is down: the published pages kept on disk still serve.
            copy = _disk_path(path)
            if copy.is_file():
                content_type = (
                    "application/json" if path.endswith(".json") else "text/html; charset=utf-8"
                )
                return copy.read_text(encoding="utf-8"), content_type
            raise
        if generation is not None and len(self.pages) < self.MAX_PAGES:
            self.pages[path] = page
        return page

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and request.path_info.count("/") >= 2
            and not request.path_info.startswith(self.SKIP)
        ):
            try:
                page = self._lookup(request.path_info)
            except DatabaseError as error:
                from bscb.security import DatabaseUnavailableMiddleware

                return DatabaseUnavailableMiddleware.unavailable(request, error)
            if page is not None:
                response = HttpResponse(page[0], content_type=page[1])
                response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                return response
        return self.get_response(request)
