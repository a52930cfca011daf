from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from bscb.core.models import ReportingPeriod
from bscb.core.spreadsheets import writer as csv_writer
from bscb.reports.editions import edition_page
from bscb.reports.opendata import DATASETS, DATASETS_BY_SLUG
from bscb.reports.views import period_for


def data_documentation(request):
    """The open data: what each dataset holds, its columns, and its files for every published period."""
    periods = ReportingPeriod.objects.published()
    return render(
        request, "bscb/data_documentation.html", {"datasets": DATASETS, "periods": periods}
    )


@edition_page
def period_data(request, period):
    period = period_for(request, period)
    return render(request, "bscb/period_data.html", {"period": period, "datasets": DATASETS})


def _dataset(slug):
    try:
        return DATASETS_BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


@edition_page
def dataset_csv(request, period, dataset):
    period = period_for(request, period)
    dataset = _dataset(dataset)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}-{period.slug}.csv"'
    writer = csv_writer(response)
    writer.writerow(["period", *dataset.names])
    for row in dataset.rows(period):
        writer.writerow([period.name, *(row[name] for name in dataset.names)])
    return response


@edition_page
def dataset_json(request, period, dataset):
    period = period_for(request, period)
    dataset = _dataset(dataset)
    return JsonResponse(
        {
            "dataset": dataset.slug,
            "title": dataset.title,
            "period": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "columns": dataset.names,
            "rows": dataset.rows(period),
        },
        json_dumps_params={"indent": 2},
    )
