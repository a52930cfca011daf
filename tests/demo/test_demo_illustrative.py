"""Illustrative data says so wherever it appears: every page, every download (CSV, JSON) and
the PDF of the published demo year.

The records come from the models, not from a list: every model with an `is_illustrative`
field (found in the app registry, so a new one is covered) and each of its records marked
illustrative. `WHERE_SHOWN` says, for each such model, where the published report shows one
of its records; a model it does not know fails the test until someone says where its
records appear. On a page, the element that shows the record names it in
`data-illustrative` and carries the visible "Illustrative" tag; in a download, its rows say
`illustrative` yes; in the PDF, each section prints as many tags as its page holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from bscb.core.illustrative import illustrative_models, record_key
from bscb.core.models import ReportingPeriod
from bscb.reports import kinds
from bscb.reports.demo import load_demo
from bscb.reports.models import Edition
from bscb.reports.report import report_sections
from meetings.models import Meeting
from subgroups.models import Group, Membership
from subgroups.progress import actions_in
from tests.pages import labelled_elements

TAG = "Illustrative"


@dataclass
class Published:
    """The published demo year as a reader gets it: each page and download by its path."""

    period: ReportingPeriod
    edition: Edition
    responses: dict[str, str] = field(default_factory=dict)  # path -> body
    sections: dict[str, str] = field(default_factory=dict)  # section path -> title

    def section(self, kind: str, slug: str | None = None) -> str | None:
        for section in report_sections(self.period):
            if section.kind.key == kind and (slug is None or section.slug == slug):
                return section.url(self.period)
        return None

    @property
    def whole_report(self) -> str:
        return reverse("full_report", args=[self.period.slug])

    def pages(self, *paths: str | None) -> list[Shown]:
        """The pages among these that the edition holds: each shows the record."""
        return [Shown(path) for path in paths if path in self.responses]


@dataclass
class Shown:
    """A page that shows the record: an element there names it and carries the tag."""

    path: str


@dataclass
class InRows:
    """A dataset's rows that are computed from the record: each says illustrative yes."""

    dataset: str
    match: dict[str, str]


# Where the published report shows a record of each model that can be illustrative.


def _attendance(record, published: Published) -> list:
    meeting = record.meeting
    shown = published.pages(meeting.url_in(published.period))
    is_board = meeting.group.kind == Group.Kind.BOARD
    if is_board and Meeting.objects.for_period(published.period).filter(pk=meeting.pk).exists():
        who = published.section(kinds.WHO_ATTENDS)
        shown += published.pages(who, published.whole_report if who else None)
        shown.append(InRows("attendance", {"organisation": record.organisation.name}))
    return shown


def _membership(record, published: Published) -> list:
    period = published.period
    seated = (
        Membership.objects.for_period(period)
        .filter(pk=record.pk, group__in=Group.objects.for_period(period))
        .exists()
    )
    if not seated:
        return []
    who = published.section(kinds.WHO_ATTENDS)
    shown = published.pages(who, published.whole_report if who else None)
    if record.group.kind == Group.Kind.BOARD:
        shown.append(InRows("attendance", {"organisation": record.organisation.name}))
    return shown


def _action(record, published: Published) -> list:
    if not actions_in(published.period).filter(pk=record.pk).exists():
        return []
    group = published.section(kinds.GROUP, f"groups/{record.plan.group.slug}")
    shown = published.pages(group, published.whole_report if group else None)
    if record.priorities.exists():
        board = published.section(kinds.BOARD)
        shown += published.pages(board)
    return shown


def _session(record, published: Published) -> list:
    period = published.period
    if not (period.start <= record.date <= period.end) or record.status == "scheduled":
        return []
    training = published.section(kinds.TRAINING)
    return published.pages(training, published.whole_report if training else None)


def _session_attendance(record, published: Published) -> list:
    session = record.session
    period = published.period
    if not (period.start <= session.date <= period.end) or session.status != "held":
        return []
    training = published.section(kinds.TRAINING)
    shown = published.pages(training, published.whole_report if training else None)
    sector = record.organisation.get_sector_display()
    shown.append(InRows("training", {"figure": "attendees_by_sector", "category": sector}))
    return shown


WHERE_SHOWN = {
    "meetings.attendance": _attendance,
    "subgroups.membership": _membership,
    "subgroups.action": _action,
    "training.session": _session,
    "training.sessionattendance": _session_attendance,
}


@pytest.fixture
def published(client, settings, db) -> Published:
    settings.EDITION_PDF = True
    load_demo()
    period = ReportingPeriod.objects.get(slug="2018-19")
    edition = Edition.objects.get(period=period, is_current=True)
    result = Published(period, edition)
    for entry in edition.contents:
        if entry["kind"] == "pdf":
            continue
        response = client.get(entry["path"])
        assert response.status_code == 200, entry["path"]
        result.responses[entry["path"]] = response.content.decode()
        if entry["kind"] == "section":
            result.sections[entry["path"]] = entry["title"]
    return result


def _rows(published: Published, dataset: str) -> dict[str, list[dict]]:
    """A dataset's rows from its CSV and from its JSON."""
    slug = published.period.slug
    text = published.responses.get(reverse("dataset_csv", args=[slug, dataset]))
    body = published.responses.get(reverse("dataset_json", args=[slug, dataset]))
    assert text is not None and body is not None, f"the edition offers no {dataset} dataset"
    return {"CSV": list(csv.DictReader(io.StringIO(text))), "JSON": json.loads(body)["rows"]}


def _pdf_text_by_section(published: Published) -> dict[str, str]:
    """The text of the PDF's pages of each section, by the section's title (the PDF's
    contents give each section's first page)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(published.edition.pdf.read()))
    pages = [page.extract_text() for page in reader.pages]
    listed = re.findall(r"^(.+?)\s*\.*\s*(\d+)$", pages[1], re.MULTILINE)
    starts = [
        (title.strip(" ."), int(number))
        for title, number in listed
        if not title.startswith(("Page ", "Annual"))
    ]
    text = {}
    for index, (title, first) in enumerate(starts):
        last = starts[index + 1][1] - 1 if index + 1 < len(starts) else len(pages)
        text[title] = "\n".join(pages[first - 1 : last])
    return text


def test_every_illustrative_record_is_labelled_wherever_the_published_demo_shows_it(
    published,
):
    models = illustrative_models()
    assert {m._meta.label_lower for m in models} >= {
        "meetings.attendance",
        "subgroups.membership",
        "subgroups.action",
        "training.session",
        "training.sessionattendance",
    }
    unknown = [m._meta.label_lower for m in models if m._meta.label_lower not in WHERE_SHOWN]
    assert not unknown, f"say in WHERE_SHOWN where the report shows records of {unknown}"

    labelled = {
        path: labelled_elements(body)
        for path, body in published.responses.items()
        if not path.endswith((".csv", ".json"))
    }
    # Every label is visible and names only records that are illustrative.
    illustrative = {record_key(r) for m in models for r in m.objects.filter(is_illustrative=True)}
    for path, elements in labelled.items():
        for keys, text in elements:
            assert TAG in text, f"{path}: an element labelled {keys} shows no '{TAG}' tag"
            assert keys <= illustrative, f"{path}: {keys - illustrative} are not illustrative"

    missing, checked, rows_checked = [], 0, 0
    datasets = {}
    for model in models:
        where = WHERE_SHOWN[model._meta.label_lower]
        for record in model.objects.filter(is_illustrative=True):
            key = record_key(record)
            for place in where(record, published):
                if isinstance(place, Shown):
                    checked += 1
                    if not any(key in keys for keys, _text in labelled[place.path]):
                        missing.append(f"{place.path}: {key} ({record}) is not labelled")
                    continue
                if place.dataset not in datasets:
                    datasets[place.dataset] = _rows(published, place.dataset)
                for form, rows in datasets[place.dataset].items():
                    matching = [
                        row
                        for row in rows
                        if all(row[name] == value for name, value in place.match.items())
                    ]
                    assert matching, f"{place.dataset} ({form}) has no row {place.match}"
                    for row in matching:
                        rows_checked += 1
                        if row["illustrative"] != "yes":
                            missing.append(f"{place.dataset} ({form}): {row} built from {key}")
    assert not missing, "\n".join(missing[:20]) + f"\n({len(missing)} in all)"
    # The demo year shows illustrative attendance, membership and training records.
    assert checked > 100 and rows_checked > 50

    # The PDF: each section prints the tags its page shows.
    pdf = _pdf_text_by_section(published)
    in_pdf = []
    for path, title in published.sections.items():
        tags = published.responses[path].count("bscb-illustrative-tag")
        if tags:
            assert title in pdf, f"the PDF's contents do not list {title}"
            printed = len(re.findall(rf"\b{TAG}\b", pdf[title]))
            assert printed >= tags, f"the PDF's {title} prints {printed} of {tags} tags"
            in_pdf.append(title)
    assert {"Who attends", "Training"} <= set(in_pdf)
