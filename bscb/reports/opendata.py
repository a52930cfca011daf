"""Open data: each section's figures for a period, as CSV and JSON with stable column names.

The columns of a dataset never change meaning; new columns are added at the
end. Amounts are pounds with two decimals and no symbol; dates are ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F

from bscb.core.models import Appointment, KeyFigure, ReportingPeriod
from bscb.reports.figures import figures_rows
from funding.models import funding_for
from meetings.attendance import who_attends
from meetings.models import Meeting
from reviews.models import CaseReview
from subgroups.models import Group
from training.figures import training_figures


@dataclass
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[tuple[str, str]]  # (name, meaning)
    rows: Callable[[ReportingPeriod], list[dict]]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]


def _gbp(amount) -> str:
    """Pounds with two decimals; blank where the amount is not recorded."""
    return "" if amount is None else f"{amount:.2f}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _funding(period):
    f = funding_for(period)
    return [
        {
            "partner": line.organisation.name,
            "sector": line.organisation.sector,
            "amount_gbp": _gbp(line.amount),
            "share_percent": "" if line.share is None else f"{line.share}",
        }
        for line in f.partners
    ]


def _budget(period):
    f = funding_for(period)
    contributions = f.total if f.complete else None
    rows = [{"line": "partners_contributions", "category": "", "amount_gbp": _gbp(contributions)}]
    rows += [
        {"line": "other_income", "category": i.category, "amount_gbp": f"{i.amount:.2f}"}
        for i in f.other_income
    ]
    rows += [
        {"line": "spending", "category": label, "amount_gbp": f"{a:.2f}"} for label, a in f.spending
    ]
    if f.has_budget:
        rows.append({"line": "outturn", "category": "", "amount_gbp": _gbp(f.outturn)})
    for name, lines, total in [
        ("budget_income", f.income_lines, f.income_line_total),
        ("budget_spending", f.spending_lines, f.spending_line_total),
    ]:
        rows += [
            {
                "line": name,
                "category": line.category,
                "amount_gbp": _gbp(line.actual),
                "planned_gbp": _gbp(line.planned),
                "actual_gbp": _gbp(line.actual),
                "variance_gbp": _gbp(line.variance),
            }
            for line in lines
        ]
        if lines:
            rows.append(
                {
                    "line": f"{name}_total",
                    "category": "",
                    "amount_gbp": _gbp(total.actual if total.actual_complete else None),
                    "planned_gbp": _gbp(total.planned if total.planned_complete else None),
                    "actual_gbp": _gbp(total.actual if total.actual_complete else None),
                    "variance_gbp": _gbp(total.variance),
                }
            )
    if f.budget is not None and f.budget.has_reserves:
        rows += [
            {
                "line": "reserves_brought_forward",
                "category": "",
                "amount_gbp": _gbp(f.budget.reserves_brought_forward),
            },
            {
                "line": "reserves_carried_forward",
                "category": "",
                "amount_gbp": _gbp(f.budget.reserves_carried_forward),
            },
        ]
    blank = {"planned_gbp": "", "actual_gbp": "", "variance_gbp": ""}
    return [{**blank, **row} for row in rows]


def _in_kind(period):
    return [
        {
            "partner": item.organisation.name,
            "description": item.description,
            "quantity": item.quantity_text,
            "unit": item.unit,
            "estimated_value_gbp": _gbp(item.estimated_value),
        }
        for item in funding_for(period).in_kind
    ]


def _training(period):
    f = training_figures(period)
    rows = [
        ("full_day_courses_offered", "", f.full_day.offered_count),
        ("full_day_sessions_held", "", f.full_day.held_count),
        ("full_day_attendees", "", f.full_day.attendees),
        ("full_day_cancelled", "", f.full_day.cancelled_count),
        *[
            ("full_day_cancelled_by_reason", label, n)
            for label, n in f.full_day.cancellations_by_reason
        ],
        ("commissioned_sessions_held", "", f.commissioned.held_count),
        ("commissioned_attendees", "", f.commissioned.attendees),
        ("bespoke_and_awareness_sessions_held", "", f.bespoke.held_count),
        ("bespoke_and_awareness_attendees", "", f.bespoke.attendees),
        ("bespoke_and_awareness_cancelled", "", f.bespoke.cancelled_count),
        ("attendees", "", f.attendees),
        *[("attendees_by_sector", row.label, row.total) for row in f.by_sector],
        ("pool_trainers", "", f.pool_size),
        ("pool_trainers_delivering_fewer_than_two", "", f.pool_fewer_than_two),
    ]
    # Illustrative records decide only the split by sector: the totals they carry are the
    # board's published ones, and counts of sessions they stand in for are left blank.
    made_up = {row.label for row in f.by_sector if row.illustrative}
    return [
        {
            "figure": n,
            "category": c,
            "value": v,  # None: blank in the CSV, null in the JSON
            "illustrative": _yes(n == "attendees_by_sector" and c in made_up),
        }
        for n, c, v in rows
    ]


def _child_deaths(period):
    meetings = (
        Meeting.objects.for_period(period)
        .filter(group=Group.objects.child_death_panel())
        .annotate(cases_reviewed=F("panel_cases__cases_reviewed"))
        .order_by("date", "pk")
    )
    return [
        {
            "meeting_date": m.date.isoformat() if m.date_known else "",
            "cases_reviewed": "" if m.cases_reviewed is None else m.cases_reviewed,
        }
        for m in meetings
    ]


def _attendance(period):
    who = who_attends(period)
    return [
        {
            "organisation": row.organisation.name,
            "sector": row.organisation.sector,
            "board_meetings_expected": row.expected,
            "present": row.present,
            "apologies": row.apologies,
            "attendance_rate_percent": "" if row.rate is None else row.rate,
            "illustrative": _yes(any(r.is_illustrative for r in row.records)),
        }
        for row in who.board_attendance
    ]


def _meetings(period):
    from bscb.reports.report import groups_in_report

    meetings = (
        Meeting.objects.for_period(period)
        .public()
        .filter(group__in=groups_in_report(period))
        .select_related("group")
        .order_by("date", "pk")
    )
    return [
        {
            "group": m.group.name,
            "date": m.date.isoformat() if m.date_known else "",
            "title": m.display_title,
            "url": m.url_in(period),
        }
        for m in meetings
    ]


def _key_figures(period):
    figures = KeyFigure.objects.filter(period=period).select_related("source")
    return [
        {
            "value": f.value,
            "description": f.description,
            "comparator": f.comparator,
            "source_number": f.source.number if f.source else "",
            "source": f.source.text if f.source else "",
        }
        for f in figures
    ]


def _case_reviews(period):
    reviews = CaseReview.objects.public().for_period(period)
    return [
        {
            "pseudonym": r.pseudonym,
            "kind": r.kind,
            "notified_to_national_panel": r.panel_notified_on.isoformat()
            if r.panel_notified_on
            else "",
            "held": r.held_on.isoformat() if r.held_on else "",
            "signed_off": r.signed_off_on.isoformat() if r.signed_off_on else "",
            "published": r.published_on.isoformat() if r.published_on else "",
        }
        for r in reviews.order_by("panel_notified_on", "held_on", "pseudonym")
    ]


def _people_in_roles(period):
    appointments = (
        Appointment.objects.during(period)
        .select_related("person", "organisation")
        .in_report_order()
    )
    return [
        {
            "role": a.role,
            "title": a.title,
            "name": a.person.name,
            "organisation": a.organisation.name if a.organisation else "",
            "other_board": a.other_board,
            "starts_on": a.starts_on.isoformat() if a.starts_on else "",
            "ends_on": a.ends_on.isoformat() if a.ends_on else "",
        }
        for a in appointments
    ]


DATASETS = [
    Dataset(
        "funding",
        "Partners' contributions",
        "Each partner's contribution and share of the total.",
        [
            ("partner", "the partner agency"),
            ("sector", "its sector"),
            ("amount_gbp", "pounds, two decimals; blank where not recorded"),
            (
                "share_percent",
                "per cent of the total, rounded to one decimal (so the shares may add up to a "
                "little more or less than 100); blank while an amount is not recorded",
            ),
        ],
        _funding,
    ),
    Dataset(
        "budget",
        "Income, spending and outturn",
        "Income and spending by category, the outturn, the budget against actual by line "
        "and reserves.",
        [
            (
                "line",
                "partners_contributions, other_income, spending or outturn; budget_income or "
                "budget_spending for a line of the budget against actual, budget_income_total or "
                "budget_spending_total for their totals; reserves_brought_forward or "
                "reserves_carried_forward",
            ),
            ("category", "the category of income or spending"),
            (
                "amount_gbp",
                "pounds, two decimals; an outturn above zero is an underspend; for a budget line "
                "the actual amount; blank where not recorded",
            ),
            ("planned_gbp", "a budget line's planned amount; blank where not recorded"),
            ("actual_gbp", "a budget line's actual amount; blank where not recorded"),
            (
                "variance_gbp",
                "actual less planned, only where both are recorded (a total: where every line "
                "records both); below zero, less than planned",
            ),
        ],
        _budget,
    ),
    Dataset(
        "in-kind",
        "Contributions in kind",
        "What partners gave besides money, such as trainer days or hosting.",
        [
            ("partner", "the partner agency"),
            ("description", "what was given"),
            ("quantity", "a number; blank where not recorded"),
            ("unit", "what the quantity counts, like days"),
            ("estimated_value_gbp", "pounds, two decimals; blank where not recorded"),
        ],
        _in_kind,
    ),
    Dataset(
        "training",
        "Training figures",
        "The training section's figures, computed from the sessions.",
        [
            ("figure", "the figure's stable name"),
            ("category", "a reason or a sector, where the figure has one"),
            (
                "value",
                "a whole number; blank (null in JSON) where the board's records do not give it",
            ),
            (
                "illustrative",
                "yes where records marked illustrative (demo data, not the board's records) "
                "decide the figure, such as a made-up split of a published total by sector; "
                "otherwise no",
            ),
        ],
        _training,
    ),
    Dataset(
        "child-deaths",
        "Child Death Overview Panel",
        "Each panel meeting and the cases it reviewed.",
        [
            ("meeting_date", "ISO date; blank where not recorded"),
            ("cases_reviewed", "a whole number; blank where not recorded"),
        ],
        _child_deaths,
    ),
    Dataset(
        "attendance",
        "Attendance at Board meetings",
        "Each organisation's attendance at the Board.",
        [
            ("organisation", "the agency"),
            ("sector", "its sector"),
            ("board_meetings_expected", "Board meetings held while it was a member"),
            ("present", "meetings it attended"),
            ("apologies", "meetings it sent apologies to"),
            ("attendance_rate_percent", "present as a per cent of expected"),
            (
                "illustrative",
                "yes where the row is computed from records marked illustrative (demo data, "
                "not the board's records), otherwise no",
            ),
        ],
        _attendance,
    ),
    Dataset(
        "meetings",
        "Meetings",
        "The public meetings of the Board and its groups.",
        [
            ("group", "the group"),
            ("date", "ISO date; blank where not recorded"),
            ("title", "the meeting"),
            ("url", "its page in the report"),
        ],
        _meetings,
    ),
    Dataset(
        "key-figures",
        "Key figures",
        "The local context's figures and their sources.",
        [
            ("value", "as printed"),
            ("description", "what it counts"),
            ("comparator", "what it is compared with"),
            ("source_number", "the footnote number"),
            ("source", "the source"),
        ],
        _key_figures,
    ),
    Dataset(
        "case-reviews",
        "Case reviews",
        "Reviews notified to the National Panel, held or signed off in the period.",
        [
            ("pseudonym", "the review's name: never a child's"),
            ("kind", "its kind"),
            ("notified_to_national_panel", "ISO date"),
            ("held", "ISO date"),
            ("signed_off", "ISO date"),
            ("published", "ISO date"),
        ],
        _case_reviews,
    ),
    Dataset(
        "figures",
        "Figure sets",
        "The figures of each figure set the report shows (the child death review's yearly "
        "profile among them), with their breakdowns: a row per figure, then a row per part "
        "of it.",
        [
            ("set", "the figure set's stable name (the same in each period)"),
            ("key", "the figure's stable name: with the set, it follows a figure across periods"),
            ("label", "what it counts"),
            (
                "value",
                "a number without symbols (pounds with two decimals); blank where not recorded",
            ),
            ("unit", "count, percentage, pounds or days"),
            ("denominator", "out of how many, where given"),
            ("comparator", "what it is compared with, where given"),
            ("source", "where it comes from"),
            (
                "breakdown_dimension",
                "age-band, sex or agency on a breakdown's row; blank on the figure's",
            ),
            ("breakdown_label", "the part, e.g. Under 1; blank on the figure's row"),
            (
                "local_value",
                "for a child death panel shared by several partnerships: this partnership's "
                "part of the figure; blank where not recorded, not shared, or on a breakdown",
            ),
            (
                "area",
                "the areas a shared panel's figures cover; blank when they are this "
                "partnership's alone",
            ),
        ],
        figures_rows,
    ),
    Dataset(
        "people-in-roles",
        "People in roles",
        "Who held each role at some time in the period: the independent chair and "
        "scrutineer, the business manager, each statutory partner's lead officer, joint "
        "chairs and links to other boards.",
        [
            (
                "role",
                "independent_chair, independent_scrutineer, business_manager, lead_officer, "
                "joint_chair, link or other",
            ),
            ("title", "the title as the report prints it; blank where not recorded"),
            ("name", "the person"),
            ("organisation", "whose officer they are; blank where not recorded"),
            ("other_board", "for a joint chair or a link, the other board; otherwise blank"),
            ("starts_on", "ISO date the role started; blank where not recorded"),
            (
                "ends_on",
                "ISO date the role ended; blank while held or where not recorded",
            ),
        ],
        _people_in_roles,
    ),
]
DATASETS_BY_SLUG = {d.slug: d for d in DATASETS}
