"""Loads a demo board from its data file; running it again changes nothing.

Each file in demo/ is one board, named after the key `load_demo --board` takes (`<key>.yaml`,
or `<key>-<anything>.yaml`). A file holds one year at its top level (`period:`, `sections:`,
`local_context:`, `contributions:`) or several under `periods:`, each with its own. It may
also hold a `meeting_cycle:`: illustrative meetings of one group dated from the day it loads
(agenda, papers, minutes, actions arising), each in the period holding its day, which is made
as a draft if there is none.
"""

from __future__ import annotations

import datetime
import io
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject

from bscb.core.models import (
    AccessibilityStatement,
    Appointment,
    Board,
    KeyFigure,
    Organisation,
    Person,
    Priority,
    PriorityText,
    ReportingPeriod,
    Source,
)
from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM, ensure_roles
from bscb.core.working_days import add_working_days, subtract_working_days
from bscb.reports.editions import period_publish
from bscb.reports.models import (
    AgencyStatement,
    Figure,
    FigureBreakdown,
    FigureSet,
    Programme,
    ProgrammeReport,
    ReportSection,
)
from funding.models import Budget, BudgetLine, Contribution, InKindContribution
from meetings.minutes import plan_for_actions
from meetings.models import AgendaItem, Attendance, Entry, Meeting, MinutesStatus, Paper
from meetings.pack import build_packs
from reviews.models import (
    Audit,
    CaseReview,
    LearningEvent,
    LearningMaterial,
    NilReturn,
    PanelCases,
)
from subgroups.models import (
    Action,
    ActionPlan,
    Group,
    GroupTerm,
    Membership,
    Risk,
    RiskReview,
)
from training.models import Course, PoolRequirement, Session, SessionAttendance, Trainer

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FILE = DEMO_DIR / "bscb-2018-19.yaml"
DEFAULT_BOARD = "bscb"


def demo_boards() -> dict[str, Path]:
    """Every demo board's data file, by the key its file name starts with."""
    return {path.stem.split("-", 1)[0]: path for path in sorted(DEMO_DIR.glob("*.yaml"))}


class DemoRefused(Exception):
    """The database holds another board's records: a demo board is loaded on its own."""


# Sign-in details printed by the set-up command; created only when DEBUG is on.
DEMO_ACCOUNTS = [
    {
        "username": "support",
        "password": "demo-support-officer",
        "first_name": "Sam",
        "last_name": "Support",
        "description": "support officer: the back office",
    },
    {
        "username": "chair.exploitation",
        "password": "demo-chair-exploitation",
        "first_name": "Cara",
        "last_name": "Chair",
        "description": "chair of Child Exploitation: the workspace, /workspace/",
        "chairs": "child-exploitation",
        # Their person on record, who sits on the group (the meeting cycle's members).
        "person": "Cara Chair",
    },
    {
        "username": "chair.esafety",
        "password": "demo-chair-esafety",
        "first_name": "Eli",
        "last_name": "Chair",
        "description": "chair of E-Safety: the workspace, /workspace/",
        "chairs": "e-safety",
    },
    {
        "username": "board.member",
        "password": "demo-board-member",
        "first_name": "Bo",
        "last_name": "Member",
        "description": "board member: reads every group's work and drafts, changes nothing",
        "role": BOARD_MEMBERS,
    },
    {
        "username": "admin",
        "password": "demo-administrator",
        "first_name": "Ada",
        "last_name": "Admin",
        "description": "administrator: everything, including user accounts",
    },
]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    # The names of the periods the file holds, in its order.
    periods: list[str] = field(default_factory=list)
    # The group whose illustrative meeting cycle was loaded (its slug), if the file has one.
    cycle_group: str = ""

    def count(self, kind: str, model: str) -> None:
        bucket = self.created if kind == "created" else self.updated
        bucket[model] = bucket.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(model, lookup: dict, values: dict, report: LoadReport, m2m: dict | None = None):
    """Create or update one record, writing only when something differs, after full_clean()."""
    obj = model.objects.filter(**lookup).first()
    kind = None
    if obj is None:
        obj = model(**lookup, **values)
        kind = "created"
    elif any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        kind = "updated"
    if kind:
        obj.full_clean()
        obj.save()
        report.count(kind, model.__name__)
    for name, wanted in (m2m or {}).items():
        manager = getattr(obj, name)
        if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
            manager.set(wanted)
            if kind != "created":
                report.count("updated", model.__name__)
    return obj


def _sync_sections(
    period: ReportingPeriod,
    sections: list[dict],
    report: LoadReport,
    figure_sets: dict | None = None,
) -> None:
    """The report's sections as the data file lists them, in its order; no others."""
    wanted = {s["slug"]: s["kind"] for s in sections}
    # A section at an address the file gives another kind (a new period starts with the
    # previous period's list) goes too: a kind a report has once must not be there twice.
    stale = [s.pk for s in period.report_sections.all() if wanted.get(s.slug) != s.kind]
    if stale:
        report.count("deleted", "ReportSection")
        period.report_sections.filter(pk__in=stale).delete()
    for position, s in enumerate(sections, start=1):
        if "group" in s:
            continue  # a group's own section: made once the groups are (_sync_group_sections)
        _sync(
            ReportSection,
            {"period": period, "slug": s["slug"]},
            {
                "kind": s["kind"],
                "title": s["title"],
                "position": position,
                "introduction": s.get("introduction", "").strip(),
                "note": s.get("note", "").strip(),
                "signature": s.get("signature", ""),
                "is_shown": s.get("shown", True),
                "figure_set": (figure_sets or {}).get(s.get("figure_set")),
            },
            report,
        )


def _markdown_list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _sync_entries(meeting: Meeting, entries: list[dict], reviews: dict, report: LoadReport) -> None:
    wanted = [
        (
            e["kind"],
            e["text"].strip(),
            reviews.get(e.get("review")),
            tuple(sorted(e.get("priorities", []))),
        )
        for e in entries
    ]
    current = [
        (e.kind, e.text, e.review, tuple(sorted(p.slug for p in e.priorities.all())))
        for e in meeting.entries.prefetch_related("priorities")
    ]
    if wanted == current:
        return
    meeting.entries.all().delete()
    for position, (kind, text, review, slugs) in enumerate(wanted, start=1):
        entry = Entry(meeting=meeting, kind=kind, text=text, position=position, review=review)
        entry.full_clean()
        entry.save()
        entry.priorities.set(Priority.objects.filter(slug__in=slugs))
    report.count("updated" if current else "created", "Entry list")


def _sync_group_terms(group: Group, g: dict, periods: dict, report: LoadReport) -> None:
    """The group's record for each of the file's periods in its life: its own purpose, aims
    and chair, changed by `terms:` for a period that describes it otherwise."""
    for slug, period in periods.items():
        if group.established_on and group.established_on > period.end:
            continue
        if group.concluded_on and group.concluded_on < period.start:
            continue
        words = {**g, **g.get("terms", {}).get(slug, {})}
        _sync(
            GroupTerm,
            {"group": group, "period": period},
            {
                "name": words.get("term_name", ""),
                "purpose": (words.get("purpose") or "").strip(),
                "aims": _markdown_list(words.get("aims") or []),
                "introduction": (words.get("introduction") or "").strip(),
                "chair_name": words.get("chair_name", ""),
            },
            report,
        )


def period_entries(data: dict) -> list[dict]:
    """The file's periods, each with its sections, figures, contributions and training words.

    A file of one year gives them at its top level; a file of several lists them under
    `periods:`. A period's address is its `slug`, or its name with "/" made "-".
    """
    if "periods" in data:
        entries = data["periods"]
    else:
        entries = [
            {
                **data["period"],
                "sections": data["sections"],
                "local_context": data["local_context"],
                "contributions": data["contributions"],
                "training": data["training"],
            }
        ]
    return [{**p, "slug": p.get("slug") or p["name"].replace("/", "-")} for p in entries]


def other_boards_periods(entries: list[dict]) -> list[ReportingPeriod]:
    """Periods of another board: any period the file does not hold, unless every period of
    the file is there already (this board, loaded before, with periods staff added since)."""
    slugs = [p["slug"] for p in entries]
    if ReportingPeriod.objects.filter(slug__in=slugs).count() == len(slugs):
        return []
    return list(ReportingPeriod.objects.exclude(slug__in=slugs).order_by("start"))


def _sync_board(data: dict, organisations: dict, report: LoadReport) -> None:
    """The installation's one board (made on first use, or here): updated, never a second one.
    The entries' headings are written only where the file gives them."""
    words = ("name", "short_name", "word", "did_heading", "difference_heading")
    _sync(
        Board,
        {"id": Board.ONE},
        {name: data[name] for name in words if name in data},
        report,
        m2m={"statutory_partners": [organisations[k] for k in data["statutory_partners"]]},
    )


def _given(data: dict, *names: str) -> dict:
    """The fields the file gives: those it leaves out stay as staff left them."""
    return {name: data[name] for name in names if name in data}


def _period_values(p: dict) -> dict:
    training = p.get("training", {})
    values = {
        "name": p["name"],
        "start": p["start"],
        "end": p["end"],
        "training_note": training.get("note", "").strip(),
        "training_went_well": training.get("went_well", "").strip(),
        "training_went_badly": training.get("went_badly", "").strip(),
    }
    # `framework:` chooses the statutory guidance the report answers to; without it the
    # period's dates choose (staff may choose later: a file without the key leaves theirs).
    return {
        **values,
        **_given(
            p,
            "published_on",
            "first_published_on",
            "children_summary",
            "framework",
            "outturn_note",
        ),
    }


@transaction.atomic
def load_demo(path: Path = DEMO_FILE, today: datetime.date | None = None) -> LoadReport:
    """Load one demo board's data file into the database; a second run changes nothing.

    The meeting cycle's meetings are dated from `today` (the day it runs, unless given).

    Refused (DemoRefused, nothing written) on a database that holds another board's periods:
    two boards' records in one installation would make one report of both.
    """
    # One transaction: a half-loaded demo year would show a report with gaps.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = period_entries(data)
    others = other_boards_periods(entries)
    if others:
        names = ", ".join(period.name for period in others)
        raise DemoRefused(
            f"The database already holds another board's reports ({names}): the demo board "
            f"of {path.name} loads only into a database of its own. Create an empty database, "
            "run migrate, and load it there."
        )
    report = LoadReport(periods=[p["name"] for p in entries])

    organisations = {
        org["key"]: _sync(
            Organisation,
            {"name": org["name"]},
            {"short_name": org["short_name"], "sector": org["sector"]},
            report,
        )
        for org in data["organisations"]
    }
    _sync_board(data["board"], organisations, report)

    periods = {}
    for p in entries:
        period = periods[p["slug"]] = _sync(
            ReportingPeriod, {"slug": p["slug"]}, _period_values(p), report
        )
        figure_sets = _load_figure_sets(period, p.get("figure_sets", []), report)
        _sync_sections(period, p["sections"], report, figure_sets)
        local = p.get("local_context", {})
        sources = {
            s["number"]: _sync(
                Source,
                {"period": period, "number": s["number"]},
                {"text": s["text"], "url": s.get("url", "")},
                report,
            )
            for s in local.get("sources", [])
        }
        for position, f in enumerate(local.get("key_figures", []), start=1):
            _sync(
                KeyFigure,
                {"period": period, "position": position},
                {
                    "value": f["value"],
                    "description": f["description"],
                    "comparator": f.get("comparator", ""),
                    "source": sources.get(f.get("source")),
                },
                report,
            )

    # People first: a priority's lead or a group's chair may be a person on record.
    _load_people(data.get("people", []), organisations, report)
    for position, pr in enumerate(data["priorities"], start=1):
        priority = _sync(
            Priority, {"slug": pr["slug"]}, {"name": pr["name"], "position": position}, report
        )
        # One text a period it runs over: the priority's own words, changed by `texts:`
        # for a period whose report words it otherwise. A text of another period (one the
        # file does not list) is left as it is: a priority may run over other periods too.
        for slug in pr.get("periods", list(periods)):
            words = {**pr, **pr.get("texts", {}).get(slug, {})}
            _sync(
                PriorityText,
                {"priority": priority, "period": periods[slug]},
                {
                    "wording": words.get("wording", pr["name"]),
                    "lead_detail": words.get("lead_detail", ""),
                    "lead_person": Person.objects.filter(name=words["lead_person"]).first()
                    if words.get("lead_person")
                    else None,
                    "description": (words.get("description") or "").strip(),
                    **{
                        name: (words.get(name) or "").strip() for name, _ in PriorityText.ASSESSMENT
                    },
                },
                report,
                m2m={
                    "lead_organisations": [
                        organisations[k] for k in words.get("lead_organisations", [])
                    ]
                },
            )

    groups = {}
    for position, g in enumerate(data["groups"], start=1):
        groups[g["slug"]] = _sync(
            Group,
            {"slug": g["slug"]},
            {
                "name": g["name"],
                "short_name": g["short_name"],
                "kind": g["kind"],
                **_given(g, "established_on"),
                "concluded_on": g["concluded_on"],
                "position": position,
            },
            report,
        )
        _sync_group_terms(groups[g["slug"]], g, periods, report)
    for p in entries:
        for position, s in enumerate(p["sections"], start=1):
            if "group" in s:
                # A section of one group's own, placed where the file puts it.
                _sync(
                    ReportSection,
                    {"period": periods[p["slug"]], "slug": s["slug"]},
                    {
                        "kind": s["kind"],
                        "title": s["title"],
                        "position": position,
                        "introduction": s.get("introduction", "").strip(),
                        "group": groups[s["group"]],
                    },
                    report,
                )
    # The file's board (or partnership board): its members, attendance and risks.
    board = next(groups[g["slug"]] for g in data["groups"] if g["kind"] == Group.Kind.BOARD)
    reviews = _load_reviews(data["reviews"], groups, report)
    for g in data["groups"]:
        for m in g["meetings"]:
            # A demo meeting is known by its group and date (placeholders included).
            meeting = _sync(
                Meeting,
                {"group": groups[g["slug"]], "date": m["date"]},
                {
                    "date_known": m["date_known"],
                    "title": m["title"],
                    "is_public": m.get("public", True),
                },
                report,
            )
            _sync_entries(meeting, m["entries"], reviews, report)
            if "cases_reviewed" in m:
                _sync(
                    PanelCases,
                    {"meeting": meeting},
                    {"cases_reviewed": m["cases_reviewed"]},
                    report,
                )

    for p in entries:
        period = periods[p["slug"]]
        for c in p["contributions"]:
            _sync(
                Contribution,
                {"period": period, "organisation": organisations[c["partner"]]},
                {"amount": Decimal(c["amount"])},
                report,
            )
        _load_budget(period, p, organisations, report)
        for position, st in enumerate(p.get("agency_statements", []), start=1):
            _sync(
                AgencyStatement,
                {"period": period, "organisation": organisations[st["partner"]]},
                {
                    "author_role": st["author_role"],
                    "statement": st["statement"].strip(),
                    "position": position,
                },
                report,
            )
        for nil in p.get("nil_returns", []):
            _sync(
                NilReturn,
                {"period": period, "kind": nil["kind"], "what": nil["what"]},
                {"note": nil.get("note", "").strip()},
                report,
            )

    if not AccessibilityStatement.objects.exists():
        # A starting point for the support team to edit; never overwritten once made.
        AccessibilityStatement.objects.create(
            site_name="the annual report website of the board",
            compliance=AccessibilityStatement.Compliance.PARTIAL,
            known_issues=(
                "- Learning materials that partners publish elsewhere and the reports link to "
                "(PDF documents) may not be accessible.\n"
                "- The back office, used by the support team only, has not been audited."
            ),
            contact_email="board-business@example.org",
            tested_on=datetime.date(2026, 11, 26),
            tested_how=(
                "Every public page and every page of the chairs' workspace is checked with "
                "axe-core in Chromium against the WCAG 2.2 AA rules on every change, and the "
                "main journeys are checked with a keyboard."
            ),
            prepared_on=datetime.date(2026, 11, 26),
            reviewed_on=datetime.date(2026, 11, 26),
        )
        report.count("created", "AccessibilityStatement")
    _load_training(data["training"], organisations, report)
    _load_programmes(data.get("programmes", []), periods, report)
    _load_plans_and_risks(data["plans_and_risks"], periods, board, groups, reviews, report)

    members = data["board_membership"]
    for key in members["members"]:
        _sync(
            Membership,
            {"group": board, "organisation": organisations[key]},
            {"is_illustrative": members["illustrative"]},
            report,
        )
    attendance = data["board_attendance"]
    for period in periods.values():
        for meeting in Meeting.objects.for_period(period).filter(group=board):
            apologies = set(attendance["apologies"].get(meeting.date, []))
            for key in members["members"]:
                _sync(
                    Attendance,
                    {"meeting": meeting, "organisation": organisations[key]},
                    {
                        "status": Attendance.Status.APOLOGIES
                        if key in apologies
                        else Attendance.Status.PRESENT,
                        "is_illustrative": attendance["illustrative"],
                    },
                    report,
                )
    changed = report.changed
    for p in entries:
        period = periods[p["slug"]]
        if p["published"] and (changed or not period.editions.filter(is_current=True).exists()):
            # Publishing is what makes the edition the public reads; the demo's source
            # lacks the recommendations-to-actions chain, which the check reports.
            period_publish(
                period=period,
                note="" if not period.editions.exists() else "The demo data was reloaded.",
                accept_missing=True,
            )
    if "meeting_cycle" in data:
        # After publishing: the cycle's meetings are dated from today and belong to a later
        # period, so moving them (a load on another day) never makes the year's edition again.
        today = today or timezone.localdate()
        _load_meeting_cycle(data["meeting_cycle"], organisations, today, report)
    return report


def _from_today(today: datetime.date, working_days: int) -> datetime.date:
    """The day `working_days` working days after today (before it when negative)."""
    if working_days < 0:
        return subtract_working_days(today, -working_days)
    return add_working_days(today, working_days)


def _at(day: datetime.date, time: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(time)))


def _period_holding(day: datetime.date, report: LoadReport) -> ReportingPeriod:
    """The period holding `day`, or a draft one made for it: the April-to-March year around
    the day, shortened where another period already holds part of that year (periods never
    overlap), and named by its dates then."""
    found = ReportingPeriod.objects.containing(day).first()
    if found is not None:
        return found
    first = day.year if day.month >= 4 else day.year - 1
    start, end = datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)
    name, slug = f"{first}/{(first + 1) % 100:02d}", f"{first}-{(first + 1) % 100:02d}"
    before = ReportingPeriod.objects.filter(end__gte=start, end__lt=day).order_by("-end").first()
    after = ReportingPeriod.objects.filter(start__lte=end, start__gt=day).order_by("start").first()
    if before or after:
        start = before.end + datetime.timedelta(days=1) if before else start
        end = after.start - datetime.timedelta(days=1) if after else end
        name = f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"
        slug = f"{start}-to-{end}"
    # A new period starts with the previous period's list of sections (reports.sections).
    period = ReportingPeriod(name=name, slug=slug, start=start, end=end)
    period.full_clean()
    period.save()
    report.count("created", "ReportingPeriod")
    return period


def paper_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF: the title, the words "illustrative paper", then the paragraphs. The
    same words make the same bytes (no dates, no identifiers), so a second load keeps it."""
    lines = [("F2", 16, title), ("F1", 11, ""), ("F1", 11, ILLUSTRATIVE_PAPER), ("F1", 11, "")]
    for paragraph in paragraphs:
        lines += [("F1", 11, line) for line in textwrap.wrap(paragraph, 85)] + [("F1", 11, "")]

    def shown(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    operators = ["BT", "16 TL", "56 780 Td"]
    for font, size, text in lines:
        operators += [f"/{font} {size} Tf", f"({shown(text)}) '"]
    operators.append("ET")
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)  # A4, in points
    fonts = {
        # Two of the fonts every PDF reader has: nothing is embedded.
        f"/{key}": DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(base),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        for key, base in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold"))
    }
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject(k): v for k, v in fonts.items()})}
    )
    stream = DecodedStreamObject()
    stream.set_data("\n".join(operators).encode("cp1252"))
    page.replace_contents(ContentStream(stream, writer))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ILLUSTRATIVE_PAPER = "Illustrative paper made by the demo: not from the board's records."


def _on_disk(file) -> bool:
    return bool(file) and file.storage.exists(file.name)


def _stored(file) -> bytes | None:
    if not file:
        return None
    try:
        with file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _sync_papers(item: AgendaItem, papers: list[dict], report: LoadReport) -> None:
    """The item's papers as the file gives them, each a PDF made here and stored as an upload
    is (privately, checked by what it holds); a paper whose file is already there is kept."""
    kept = []
    for p in papers:
        content = paper_pdf(p["title"], p["text"])
        paper = Paper.objects.filter(agenda_item=item, title=p["title"]).first()
        kept.append(p["title"])
        if paper is not None and _stored(paper.file) == content:
            continue
        old = paper.file.name if paper is not None else ""
        if paper is None:
            paper = Paper(agenda_item=item, meeting=item.meeting, title=p["title"])
        paper.file = ContentFile(content, name=p["file"])
        paper.full_clean()
        paper.save()
        if old and old != paper.file.name:
            # Once the load commits: a load that fails later keeps the rows and their files.
            transaction.on_commit(partial(paper.file.storage.delete, old))
        report.count("created" if not old else "updated", "Paper")
    for gone in item.papers.exclude(title__in=kept):
        transaction.on_commit(partial(gone.file.storage.delete, gone.file.name))
        gone.delete()
        report.count("updated", "Paper")


def _changes(report: LoadReport) -> int:
    return sum(report.created.values()) + sum(report.updated.values())


def _load_meeting_cycle(
    cycle: dict, organisations: dict, today: datetime.date, report: LoadReport
) -> None:
    """The meeting cycle's illustrative meetings, dated from today (see the data file)."""
    report.cycle_group = cycle["group"]
    group = _sync(
        Group,
        {"slug": cycle["group"]},
        _given(cycle, "publishes_agendas", "publishes_papers"),
        report,
    )
    days = {m["title"]: _from_today(today, m["working_days"]) for m in cycle["meetings"]}
    periods = {title: _period_holding(day, report) for title, day in days.items()}
    first_period = min(periods.values(), key=lambda period: period.start)

    people = {}
    for seat in cycle["members"]:
        organisation = organisations[seat["organisation"]]
        for key in ("person", "deputy"):
            if seat.get(key):
                people[seat[key]] = _sync(
                    Person, {"name": seat[key]}, {"organisation": organisation}, report
                )
    seats = {
        seat["organisation"]: _sync(
            Membership,
            {"group": group, "organisation": organisations[seat["organisation"]]},
            {
                "person": people[seat["person"]],
                "deputy": people.get(seat.get("deputy")),
                "role": seat.get("role", ""),
                "starts_on": first_period.start,
                "ends_on": None,
                "is_illustrative": True,
            },
            report,
        )
        for seat in cycle["members"]
    }
    for r in cycle.get("risks", []):
        risk = _sync(
            Risk,
            {"title": r["title"]},
            {
                "owner_group": group,
                "opened_on": _from_today(today, r["opened"]),
                "review_every_days": r["review_every_days"],
                "next_review_on": None,
                **_given(r, "description", "likelihood", "impact", "what_good_looks_like"),
            },
            report,
        )
        for review in r["reviews"]:
            _sync(
                RiskReview,
                {"risk": risk, "note": review["note"]},
                {"date": _from_today(today, review["working_days"]), "meeting": None},
                report,
            )
    plan = cycle["work_plan"]
    _sync(
        ActionPlan,
        {"title": plan["title"]},
        {
            "group": group,
            "kind": ActionPlan.Kind.WORK_PLAN,
            "period": first_period,
            "description": plan.get("description", "").strip(),
            "closed_on": None,
        },
        report,
    )

    for m in cycle["meetings"]:
        before = _changes(report)
        day = days[m["title"]]
        meeting = _sync(
            Meeting,
            {"group": group, "title": m["title"]},
            {
                "date": day,
                "date_known": True,
                "is_public": True,
                "start_time": datetime.time.fromisoformat(m["start_time"]),
                "place": m.get("place", ""),
                # What the back office's "Publish the agenda" and "Circulate the papers" set,
                # without their emails: the demo sends none.
                "agenda_published_at": _at(_from_today(today, m["agenda_out"]), "09:30")
                if "agenda_out" in m
                else None,
                "papers_circulated_at": _at(_from_today(today, m["papers_circulated"]), "09:30")
                if "papers_circulated" in m
                else None,
                "minutes_status": m.get("minutes", MinutesStatus.DRAFT),
                "minutes_agreed_at": None,
                "minutes_agreed_by": None,
                "minutes_approved_at": None,
            },
            report,
        )
        items = []
        for position, it in enumerate(m["items"], start=1):
            item = _sync(
                AgendaItem,
                {"meeting": meeting, "title": it["title"]},
                {
                    "position": position,
                    "purpose": it["purpose"],
                    "presenter": it.get("presenter", ""),
                    "start_time": datetime.time.fromisoformat(it["start_time"])
                    if it.get("start_time")
                    else None,
                    "minutes": it.get("minutes_allotted"),
                    "is_confidential": it.get("confidential", False),
                    "priority": Priority.objects.filter(slug=it["priority"]).first()
                    if it.get("priority")
                    else None,
                    "minutes_text": it.get("minutes", "").strip(),
                    "decisions": _markdown_list(it.get("decisions", [])),
                },
                report,
            )
            items.append(item)
            _sync_papers(item, it.get("papers", []), report)
            _sync_actions_arising(item, it.get("actions", []), organisations, today, report)
        extra = meeting.agenda_items.exclude(pk__in=[item.pk for item in items])
        if extra.exists():
            extra.delete()
            report.count("updated", "AgendaItem")
        for key, status in m.get("attendance", {}).items():
            seat = seats[key]
            _sync(
                Attendance,
                {"meeting": meeting, "organisation": organisations[key]},
                {
                    "status": status,
                    # Who came: the member, or their deputy in their place.
                    "person": {"present": seat.person, "deputy": seat.deputy}.get(status),
                    "attendee": "",
                    "is_illustrative": True,
                },
                report,
            )
        others = meeting.attendances.exclude(
            organisation__in=[organisations[key] for key in m.get("attendance", {})]
        )
        if others.exists():
            others.delete()
            report.count("updated", "Attendance")
        if meeting.papers_circulated_at:
            # Went out with the rest, as circulating them records (meetings.cycle).
            meeting.papers.filter(circulated_at__isnull=True).update(
                circulated_at=meeting.papers_circulated_at
            )
        # The meeting packs, as circulating the papers makes them: with WeasyPrint, a second
        # or so each, so only where the installation makes PDFs (EDITION_PDF: tests that do
        # not read them switch it off).
        changed = _changes(report) != before or not _on_disk(meeting.pack)
        if meeting.papers_circulated_at and changed and settings.EDITION_PDF:
            packs = build_packs(meeting)
            meeting.save()
            packs.keep(meeting.pack.storage)
            if packs.made:
                report.count("updated", "Meeting pack")


def _sync_actions_arising(
    item: AgendaItem, actions: list[dict], organisations: dict, today, report: LoadReport
) -> None:
    """An item's actions arising, in the plan the minutes put them in (meetings.minutes), each
    linked back to the item, as the minutes' one step records them (without its emails)."""
    kept = []
    for a in actions:
        plan = plan_for_actions(item)
        action = _sync(
            Action,
            {"arose_from": item, "description": a["description"]},
            {
                "plan": plan,
                "owner_organisation": organisations[a["owner"]],
                "lead": a.get("lead", ""),
                "starts_on": item.meeting.date,
                "due_on": _from_today(today, a["due"]),
                "status": Action.Status.NOT_STARTED,
                "rag": "",
                "completed_on": None,
                "evidence": "",
                "is_illustrative": True,
            },
            report,
        )
        kept.append(action.pk)
    extra = Action.objects.filter(arose_from=item).exclude(pk__in=kept)
    if extra.exists():
        extra.delete()
        report.count("updated", "Action")


def _load_people(people: list[dict], organisations: dict, report: LoadReport) -> None:
    """People in roles, each role with the dates the file gives (a date left out is not
    recorded). A role is known by its person, role, title, partner and other board."""
    for p in people:
        person = _sync(
            Person,
            {"name": p["name"]},
            {"organisation": organisations.get(p.get("organisation"))},
            report,
        )
        for r in p.get("roles", []):
            _sync(
                Appointment,
                {
                    "person": person,
                    "role": r["role"],
                    "title": r.get("title", ""),
                    "organisation": organisations.get(r.get("organisation")),
                    "other_board": r.get("other_board", ""),
                },
                {"starts_on": r.get("starts_on"), "ends_on": r.get("ends_on")},
                report,
            )


def _load_reviews(data: dict, groups: dict, report: LoadReport) -> dict[str, CaseReview]:
    reviews = {}
    for r in data["case_reviews"]:
        embargoed = bool(r.get("embargo_reason"))
        reviews[r["pseudonym"]] = _sync(
            CaseReview,
            {"pseudonym": r["pseudonym"]},
            {
                "kind": r["kind"],
                "group": groups[r["group"]],
                "panel_notified_on": r.get("panel_notified_on"),
                "held_on": r.get("held_on"),
                "signed_off_on": r.get("signed_off_on"),
                "summary": r.get("summary", ""),
                "is_embargoed": embargoed,
                "embargo_reason": r.get("embargo_reason", ""),
                **_given(
                    r,
                    "incident_notified_on",
                    "rapid_review_completed_on",
                    "commissioned_on",
                    "published_on",
                ),
            },
            report,
        )
    audits = {}
    for a in data["audits"]:
        audits[a["title"]] = _sync(
            Audit,
            {"title": a["title"]},
            {
                "kind": a.get("kind", Audit.Kind.MULTI_AGENCY),
                "lead_group": groups[a.get("lead_group", "performance-quality-and-assurance")],
                # A date is a placeholder unless the file says it is known.
                "date": a["date"],
                "date_known": a.get("date_known", False),
                "findings": a["findings"],
                **_given(a, "method"),
            },
            report,
        )
    for e in data.get("learning_events", []):
        _sync(
            LearningEvent,
            {"review": reviews[e["review"]], "title": e["title"]},
            {
                "date": e.get("date"),
                "date_known_to": e.get("date_known_to", "day"),
                "attendees": e.get("attendees"),
                "description": e.get("description", "").strip(),
            },
            report,
        )
    for m in data["learning_materials"]:
        _sync(
            LearningMaterial,
            {"title": m["title"]},
            {
                "kind": m["kind"],
                "review": reviews.get(m.get("review")),
                "audit": audits.get(m.get("audit")),
                **_given(m, "published_on", "summary"),
            },
            report,
        )
    return reviews


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _load_plans_and_risks(
    data: dict, periods: dict, board: Group, groups: dict, reviews: dict, report: LoadReport
) -> None:
    for p in data["plans"]:
        # A work plan's period: `true` in a file of one period, else the period's slug.
        if p.get("period") is True:
            (period,) = periods.values()
        else:
            period = periods.get(p.get("period"))
        plan = _sync(
            ActionPlan,
            {"title": p["title"]},
            {
                "group": groups[p["group"]],
                "kind": p["kind"],
                "review": reviews.get(p.get("review")),
                "period": period,
                "agreed_on": p.get("agreed_on"),
            },
            report,
        )
        for a in p["actions"]:
            complete = "completed_on" in a
            _sync(
                Action,
                {"plan": plan, "description": a["description"]},
                {
                    "status": Action.Status.COMPLETE
                    if complete
                    else a.get("status", "not_started"),
                    "rag": "green" if complete else "",
                    "completed_on": a.get("completed_on"),
                    "evidence": a.get("evidence", ""),
                    "is_illustrative": a.get("illustrative", False),
                },
                report,
            )
        # The file lists a plan's actions in full: an action it no longer lists (in a demo
        # loaded before it was taken out of the file) goes, with its updates.
        gone = plan.actions.exclude(description__in=[a["description"] for a in p["actions"]])
        for _action in gone:
            report.count("deleted", "Action")
        gone.delete()
    for r in data["risks"]:
        risk = _sync(
            Risk, {"title": r["title"]}, {"owner_group": board, "opened_on": r["opened_on"]}, report
        )
        for review in r["reviews"]:
            meeting = Meeting.objects.get(group=board, date=review["meeting"])
            _sync(
                RiskReview,
                {"risk": risk, "meeting": meeting},
                {"date": meeting.date, "note": review["note"]},
                report,
            )


def _load_training(training: dict, organisations: dict, report: LoadReport) -> None:
    for position, text in enumerate(training.get("pool_requirements", []), start=1):
        _sync(PoolRequirement, {"text": text}, {"position": position}, report)
    courses = {title: _sync(Course, {"title": title}, {}, report) for title in training["courses"]}
    trainers = {
        key: _sync(Trainer, {"name": t["name"]}, {"in_pool": t.get("in_pool", True)}, report)
        for key, t in training.get("trainers", {}).items()
    }
    for title, slugs in training.get("course_priorities", {}).items():
        course = courses[title]
        if {p.slug for p in course.priorities.all()} != set(slugs):
            course.priorities.set(Priority.objects.filter(slug__in=slugs))
            report.count("updated", "Course")
    for s in training["sessions"]:
        session = _sync(
            Session,
            {"course": courses[s["course"]], "date": s["date"]},
            {
                # A date is a placeholder unless the file says it is known.
                "date_known": s.get("date_known", False),
                "kind": s["kind"],
                "delivery": s.get("delivery", Session.Delivery.IN_HOUSE),
                "joint_with_adults_board": s.get("joint", False),
                "trainer": trainers[s["trainer"]] if "trainer" in s else None,
                "description": s.get("description", ""),
                "status": s["status"],
                "cancellation_reason": s.get("reason", ""),
                **_given(s, "note"),
                "is_illustrative": s.get("illustrative", False),
            },
            report,
        )
        for key, attendees in s.get("attendees", {}).items():
            _sync(
                SessionAttendance,
                {"session": session, "organisation": organisations[key]},
                {"attendees": attendees, "is_illustrative": True},
                report,
            )


def ensure_demo_accounts() -> list[dict]:
    """The demo's sign-in accounts, with their passwords reset to the printed ones."""
    if not settings.DEBUG:
        raise RuntimeError("Demo accounts have known passwords: they are made only with DEBUG on.")
    ensure_roles()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account["username"])
        user.first_name = account["first_name"]
        user.last_name = account["last_name"]
        user.email = f"{account['username']}@example.org"
        role = account.get(
            "role", SUPPORT_TEAM if account["username"] in {"support", "admin"} else ""
        )
        # Support staff and board members use the back office; chairs only the workspace.
        user.is_staff = role in {SUPPORT_TEAM, BOARD_MEMBERS}
        user.is_superuser = account["username"] == "admin"
        user.set_password(account["password"])
        user.save()
        if role:
            user.groups.add(AuthGroup.objects.get(name=role))
        if "chairs" in account:
            Group.objects.get(slug=account["chairs"]).chairs.add(user)
        person = Person.objects.filter(name=account.get("person", "")).first()
        if person is not None and person.user_id != user.pk:
            person.user = user
            person.save()
    return DEMO_ACCOUNTS


def _load_figure_sets(period: ReportingPeriod, sets: list[dict], report: LoadReport) -> dict:
    """The period's figure sets, each with its figures and their breakdowns, by slug."""
    made = {}
    for fs in sets:
        figure_set = made[fs["slug"]] = _sync(
            FigureSet,
            {"period": period, "slug": fs["slug"]},
            {
                "title": fs["title"],
                **{
                    name: fs.get(name, "").strip()
                    for name in ("introduction", "source", "panel_area", "local_area")
                },
            },
            report,
        )
        for position, f in enumerate(fs["figures"], start=1):
            value = f.get("value")
            figure = _sync(
                Figure,
                {"figure_set": figure_set, "key": f["key"]},
                {
                    "label": f["label"],
                    "position": position,
                    "value": None if value is None else Decimal(str(value)),
                    "unit": f.get("unit", "count"),
                    "denominator": f.get("denominator"),
                    "local_value": _decimal(f.get("local_value")),
                    "comparator": f.get("comparator", ""),
                    "source": f.get("source", ""),
                },
                report,
            )
            for n, part in enumerate(_breakdowns(f.get("breakdowns", [])), start=1):
                _sync(
                    FigureBreakdown,
                    {"figure": figure, "dimension": part["dimension"], "label": part["label"]},
                    {"value": _decimal(part["value"]), "position": n},
                    report,
                )
    return made


def _breakdowns(given) -> list[dict]:
    """A figure's parts, listed one by one ({dimension, label, value}) or by dimension
    ({age-band: [[label, value], ...]})."""
    if isinstance(given, dict):
        return [
            {"dimension": dimension, "label": label, "value": value}
            for dimension, parts in given.items()
            for label, value in parts
        ]
    return given


def _load_budget(period: ReportingPeriod, p: dict, organisations: dict, report: LoadReport):
    """The period's budget: reserves and the decision on a surplus, its lines planned against
    actual, and what partners gave in kind."""
    budget = p.get("budget")
    if not budget:
        return
    money = {
        name: None if budget.get(name) is None else Decimal(budget[name])
        for name in ("reserves_brought_forward", "reserves_carried_forward")
    }
    _sync(
        Budget,
        {"period": period},
        {**money, "surplus_decision": budget.get("surplus_decision", "").strip()},
        report,
    )
    for direction in ("income", "spending"):
        for position, line in enumerate(budget.get(direction, []), start=1):
            _sync(
                BudgetLine,
                {"period": period, "direction": direction, "category": line["category"]},
                {
                    "planned": None if line.get("planned") is None else Decimal(line["planned"]),
                    "actual": None if line.get("actual") is None else Decimal(line["actual"]),
                    "position": position,
                },
                report,
            )
    for position, gift in enumerate(budget.get("in_kind", []), start=1):
        _sync(
            InKindContribution,
            {
                "period": period,
                "organisation": organisations[gift["partner"]],
                "description": gift["description"],
            },
            {
                "quantity": None if gift.get("quantity") is None else Decimal(gift["quantity"]),
                "unit": gift.get("unit", ""),
                "estimated_value": None
                if gift.get("estimated_value") is None
                else Decimal(gift["estimated_value"]),
                "position": position,
            },
            report,
        )


def _load_programmes(programmes: list[dict], periods: dict, report: LoadReport) -> None:
    """Programmes with the periods whose reports show them (status, progress, own figures)."""
    for position, pg in enumerate(programmes, start=1):
        programme = _sync(
            Programme,
            {"slug": pg["slug"]},
            {
                "name": pg["name"],
                "description": pg.get("description", "").strip(),
                "launched_on": pg.get("launched_on"),
                "launch_known_to": pg.get("launch_known_to", "day"),
                "position": position,
            },
            report,
            m2m={"priorities": list(Priority.objects.filter(slug__in=pg.get("priorities", [])))},
        )
        for slug, line in pg.get("reports", {}).items():
            period = periods[slug]
            _sync(
                ProgrammeReport,
                {"programme": programme, "period": period},
                {
                    "status": line.get("status", ProgrammeReport.Status.RUNNING),
                    "progress": line.get("progress", "").strip(),
                    "figure_set": period.figure_sets.filter(slug=line["figure_set"]).first()
                    if line.get("figure_set")
                    else None,
                },
                report,
            )
