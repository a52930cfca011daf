import csv

from django.http import HttpResponse, JsonResponse

from bscb.views import period_for
from funding.models import funding_for


def funding_csv(request, period):
    period = period_for(request, period)
    funding = funding_for(period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funding-{period.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "partner", "sector", "amount_gbp", "share_percent"])
    for line in funding.partners:
        org = line.organisation
        writer.writerow([period.name, org.name, org.sector, f"{line.amount:.2f}", f"{line.share}"])
    writer.writerow(
        [period.name, "Total", "", f"{funding.total:.2f}", "100.0" if funding.total else "0.0"]
    )
    return response


def funding_json(request, period):
    period = period_for(request, period)
    funding = funding_for(period)
    return JsonResponse(
        {
            "period": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "currency": "GBP",
            "total": f"{funding.total:.2f}",
            "contributions": [
                {
                    "partner": line.organisation.name,
                    "sector": line.organisation.sector,
                    "amount": f"{line.amount:.2f}",
                    "share_percent": f"{line.share}",
                }
                for line in funding.partners
            ],
        },
        json_dumps_params={"indent": 2},
    )
