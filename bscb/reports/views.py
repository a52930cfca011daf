import logging

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from bscb.core import changes
from bscb.core.models import ReportingPeriod
from bscb.core.roles import sees_unpublished
from bscb.core.shortcuts import period_for
from bscb.reports import pages
from bscb.reports.editions import archived, edition_page
from bscb.reports.models import Edition
from bscb.reports.report import (
    PAGE_LEVELS,
    REPORT_LEVELS,
    find_section,
    kept_for,
    report_sections,
)
from meetings.models import Meeting
from subgroups.models import Group

logger = logging.getLogger(__name__)


def home(request):
    periods = ReportingPeriod.objects.visible_to(request.user)
    return render(request, "bscb/home.html", {"periods": periods})


def page_response(request, page: pages.Page, period: ReportingPeriod) -> HttpResponse:
    """A page of the report rendered now, in the frame made for this reader."""
    return render(request, "report/page.html", page.frame(period))


@edition_page
def period_detail(request, period):
    period = period_for(request, period)
    entries = pages.page_list(period, report_sections(period))
    return page_response(request, pages.contents_page(period, entries), period)


@edition_page
def section_page(request, period, section):
    generation = changes.generation()  # before any record is read
    period = period_for(request, period)

    def draw() -> pages.Page:
        sections = report_sections(period)
        found = find_section(period, section, sections)
        if found is None:
            raise Http404
        body = found.render(period, request.user, None, PAGE_LEVELS)
        return pages.section_page(period, found, body, pages.page_list(period, sections))

    page = kept_for(request, generation, ("section", period.pk, section), draw)
    return page_response(request, page, period)


def group_detail(request, period, group):
    return section_page(request, period, f"groups/{group}")


@edition_page
def full_report(request, period):
    generation = changes.generation()  # before any record is read
    period = period_for(request, period)

    def draw() -> pages.Page:
        sections = [
            (s, s.render(period, request.user, None, REPORT_LEVELS))
            for s in report_sections(period)
        ]
        return pages.whole_report_page(period, sections)

    page = kept_for(request, generation, ("whole report", period.pk), draw)
    return page_response(request, page, period)


@edition_page
def meeting_detail(request, period, group, pk):
    period = period_for(request, period)
    meeting = get_object_or_404(
        Meeting.objects.for_period(period).public().with_entries().select_related("panel_cases"),
        group__slug=group,
        pk=pk,
    )
    attendances = meeting.attendances.select_related("organisation")
    # Meetings whose date was lost are told apart by their place in the group's year.
    number = None if meeting.date_known else meeting.number_in(period)
    parent = pages.meeting_parent(period, meeting.group, report_sections(period))
    page = pages.meeting_page(
        period, meeting, attendances, number, parent, Group.objects.child_death_panel()
    )
    return page_response(request, page, period)


def edition(request, period, number, rest=""):
    """An edition at its own address (/<period>/editions/<number>/...), as it was published."""
    return archived(request, period, number, rest)


def report_pdf(request, period):
    """A published edition's PDF from storage, never made afresh; a draft's made afresh for staff."""
    period = period_for(request, period)
    preview = request.GET.get("preview") and sees_unpublished(request.user)
    if period.is_published and not preview:
        edition = Edition.objects.current().filter(period=period).first()
        if edition is not None and edition.pdf:
            try:
                return FileResponse(
                    edition.pdf.open("rb"),
                    content_type="application/pdf",
                    filename=f"annual-report-{period.slug}.pdf",
                )
            except FileNotFoundError:
                pass
        logger.error("The PDF of the published %s report is missing", period)
        return render(request, "bscb/pdf_missing.html", {"period": period}, status=404)
    pdf, _pages = pages.pdf_now(period)
    if pdf is None:
        raise Http404("The PDF could not be made on this server.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{period.slug}-draft.pdf"'
    return response


def search(request):
    from bscb.reports.search import MAX_RESULTS, search_editions

    query = request.GET.get("q", "").strip()[:200]
    results = search_editions(query) if query else []
    return render(
        request,
        "bscb/search.html",
        {
            "query": query,
            "results": results,
            "count": sum(len(h) for _, h in results),
            "limit": MAX_RESULTS,
        },
    )


def theme_list(request):
    from bscb.core.models import Priority

    return render(
        request, "bscb/theme_list.html", {"priorities": Priority.objects.published().with_title()}
    )


def theme_detail(request, slug):
    from bscb.core.models import Priority
    from bscb.reports.themes import stored_theme_years

    priority = get_object_or_404(Priority.objects.published().with_title(), slug=slug)
    return render(
        request,
        "bscb/theme_detail.html",
        {"priority": priority, "years": stored_theme_years(priority)},
    )


def accessibility(request):
    from bscb.core.models import AccessibilityStatement

    return render(
        request, "bscb/accessibility.html", {"statement": AccessibilityStatement.objects.first()}
    )


@edition_page
def children_summary(request, period):
    period = period_for(request, period)
    if not period.children_summary:
        raise Http404
    return page_response(request, pages.children_page(period), period)
