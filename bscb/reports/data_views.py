from django.http import Http404, HttpResponse
from django.shortcuts import render

from bscb.core.models import ReportingPeriod
from bscb.core.shortcuts import period_for
from bscb.reports import kinds, pages
from bscb.reports.editions import edition_page
from bscb.reports.models import Edition
from bscb.reports.opendata import DATASETS
from bscb.reports.report import report_sections
from bscb.reports.views import page_response


def _published_datasets(period: ReportingPeriod) -> set[str]:
    """The datasets a published period offers: those its current edition holds (an edition
    from before editions kept their page list: those its report's sections offer now)."""
    edition = Edition.objects.current().filter(period=period).only("contents").first()
    if edition is not None and edition.contents:
        return {
            e["path"].rsplit("/", 1)[-1].split(".")[0]
            for e in edition.contents
            if e["kind"] == "csv"
        }
    return {d.slug for d in kinds.datasets_offered(report_sections(period))}


def data_documentation(request):
    """The open data: what each dataset holds, its columns, and its files in each published
    period that offers it."""
    periods = list(ReportingPeriod.objects.published())
    offered = {period.pk: _published_datasets(period) for period in periods}
    datasets = [
        (dataset, [p for p in periods if dataset.slug in offered[p.pk]]) for dataset in DATASETS
    ]
    return render(request, "bscb/data_documentation.html", {"datasets": datasets})


@edition_page
def period_data(request, period):
    period = period_for(request, period)
    return page_response(request, pages.data_page(period), period)


def _dataset(period, slug):
    """A dataset the period's report offers (through the kinds of its sections)."""
    offered = {d.slug: d for d in kinds.datasets_offered(report_sections(period))}
    if slug not in offered:
        raise Http404
    return offered[slug]


@edition_page
def dataset_csv(request, period, dataset):
    period = period_for(request, period)
    dataset = _dataset(period, dataset)
    page = pages.dataset_csv(period, dataset, dataset.rows(period))
    response = HttpResponse(page.body, content_type=page.content_type)
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}-{period.slug}.csv"'
    return response


@edition_page
def dataset_json(request, period, dataset):
    period = period_for(request, period)
    dataset = _dataset(period, dataset)
    page = pages.dataset_json(period, dataset, dataset.rows(period))
    return HttpResponse(page.body, content_type=page.content_type)
