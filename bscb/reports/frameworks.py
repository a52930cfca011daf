"""What each edition of Working Together asks of the yearly report: frameworks as data.

A period's report answers to the framework in force (ReportingPeriod.framework_in_force:
its dates choose, unless staff choose). Each framework cites where the guidance on the
report is, lists its items (title, paragraph, the guidance's words) and says to whom a
copy goes once published. An item names the evidence that meets it by key; the statutory
check (checker.py) finds each key's evidence in the records, and the section kinds
(kinds.py, `evidence=`) say which kinds show it in the report.

Citations: Working Together 2015, chapter 3, paragraphs 15 to 17 (the Local Safeguarding
Children Board's annual report under section 14A of the Children Act 2004). For 2018
(chapter 3) and 2023 (chapter 2) the paragraph numbers were not checked against the
published guidance when this was written, so items cite the chapter and its "Reporting"
part; the words are the guidance's, or close to them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bscb.core.models import Framework, ReportingPeriod


@dataclass(frozen=True)
class Requirement:
    """One item the guidance asks the report for, and the evidence that meets it.

    `needs`: each of these must be in the records and shown. `any_of`: at least one must.
    `also`: listed when found, never required.
    """

    title: str
    paragraph: str
    guidance: str
    needs: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatutoryFramework:
    key: str
    document: str
    citation: str
    duty: str
    requirements: tuple[Requirement, ...]
    # To whom the published report goes, and within how many days (None: no deadline).
    copy_to: str
    copy_citation: str
    copy_within_days: int | None = None

    @property
    def name(self) -> str:
        return Framework(self.key).label

    def copy_due_on(self, published: datetime.date) -> datetime.date | None:
        if self.copy_within_days is None:
            return None
        return published + datetime.timedelta(days=self.copy_within_days)


WT2015 = StatutoryFramework(
    key=Framework.WT2015,
    document="Working Together to Safeguard Children 2015",
    citation="chapter 3, paragraphs 15 to 17",
    duty="The Local Safeguarding Children Board's annual report on the effectiveness of child "
    "safeguarding and promoting the welfare of children in the local area (section 14A of "
    "the Children Act 2004), in relation to the preceding financial year.",
    requirements=(
        Requirement(
            "An assessment of the performance and effectiveness of local services",
            "paragraph 16",
            "The report should provide a rigorous and transparent assessment of the "
            "performance and effectiveness of local services.",
            any_of=(
                "priorities",
                "audits",
                "figure-sets",
                "child-deaths",
                "difference",
                "voice",
                "statements",
                "programmes",
                "training",
            ),
            also=("did",),
        ),
        Requirement(
            "Areas of weakness, their causes and the action being taken",
            "paragraph 16",
            "It should identify areas of weakness, the causes of those weaknesses and the "
            "action being taken to address them, as well as other proposals for action.",
            any_of=("progress", "assessments", "audits"),
        ),
        Requirement(
            "Lessons from reviews undertaken in the period",
            "paragraph 16",
            "The report should include lessons from reviews undertaken within the reporting "
            "period.",
            any_of=("case-reviews", "learning"),
            also=("recommendations",),
        ),
        Requirement(
            "Contributions by partner agencies and what the board spent",
            "paragraph 17",
            "The report should list the contributions made to the board by partner agencies "
            "and details of what it has spent, including on child death reviews, serious "
            "case reviews and other specific expenditure such as learning events or training.",
            needs=("contributions", "spending"),
        ),
    ),
    copy_to="the council's chief executive and leader, the police and crime commissioner and "
    "the chair of the health and wellbeing board",
    copy_citation="paragraph 15",
)

WT2018 = StatutoryFramework(
    key=Framework.WT2018,
    document="Working Together to Safeguard Children 2018",
    citation="chapter 3, “Reporting”",
    duty="The safeguarding partners' report, published at least once in every 12-month "
    "period, on what they have done as a result of the arrangements and how effective "
    "these have been in practice.",
    requirements=(
        Requirement(
            "What the partners did, including on child safeguarding practice reviews",
            "chapter 3, Reporting",
            "A report sets out what the partners have done as a result of the arrangements, "
            "including on child safeguarding practice reviews.",
            needs=("did", "case-reviews"),
            also=("programmes", "statements"),
        ),
        Requirement(
            "Evidence of impact, including training",
            "chapter 3, Reporting",
            "Evidence of the impact of the partners' and agencies' work, including training, "
            "on outcomes for children and families.",
            needs=("difference", "training"),
            also=("figure-sets", "child-deaths", "audits", "programmes"),
        ),
        Requirement(
            "Areas with little or no progress, and what is being done",
            "chapter 3, Reporting",
            "An analysis of any areas with little or no evidence of progress on agreed "
            "priorities, and the action being taken about them.",
            any_of=("progress", "assessments"),
            also=("priorities",),
        ),
        Requirement(
            "Decisions and actions on review recommendations",
            "chapter 3, Reporting",
            "A record of decisions and actions taken, or planned, to implement the "
            "recommendations of local and national reviews, and the improvements that followed.",
            needs=("recommendations",),
        ),
        Requirement(
            "How feedback from children and families was sought and used",
            "chapter 3, Reporting",
            "How the partners sought and used feedback from children and families.",
            needs=("voice",),
        ),
    ),
    copy_to="the Child Safeguarding Practice Review Panel and the What Works Centre for "
    "Children's Social Care",
    copy_citation="chapter 3, Reporting",
    copy_within_days=7,
)

WT2023 = StatutoryFramework(
    key=Framework.WT2023,
    document="Working Together to Safeguard Children 2023",
    citation="chapter 2, “Reporting” (the yearly report)",
    duty="The safeguarding partners' yearly report on the activity they have undertaken in a "
    "12-month period, transparent and easily accessible to families and professionals, "
    "focused on multi-agency priorities, learning, impact, evidence and improvement.",
    requirements=(
        Requirement(
            "Multi-agency priorities",
            "chapter 2, Reporting",
            "The report focuses on the partners' multi-agency priorities.",
            needs=("priorities",),
            also=("programmes",),
        ),
        Requirement(
            "What the partners did, including on child safeguarding practice reviews",
            "chapter 2, Reporting",
            "The report must include what the partners have done as a result of the "
            "arrangements, including on child safeguarding practice reviews.",
            needs=("case-reviews",),
            any_of=("did", "programmes", "statements"),
        ),
        Requirement(
            "Learning, including from practice reviews",
            "chapter 2, Reporting",
            "The report focuses on learning: from local and national practice reviews, "
            "audits and training.",
            any_of=("learning", "case-reviews", "audits", "training"),
        ),
        Requirement(
            "Impact on outcomes for children and families",
            "chapter 2, Reporting",
            "The report focuses on the impact of the partners' work on children and families.",
            any_of=("difference", "voice", "programmes", "figure-sets", "child-deaths"),
        ),
        Requirement(
            "The evidence: figures, audits and inspections",
            "chapter 2, Reporting",
            "The report focuses on evidence: what the figures, audits and inspections show.",
            any_of=("figure-sets", "child-deaths", "audits", "statements"),
        ),
        Requirement(
            "Improvement: where progress is slow and what is being done",
            "chapter 2, Reporting",
            "The report focuses on improvement: areas with little progress, and the actions "
            "taken on review recommendations.",
            any_of=("progress", "assessments", "recommendations"),
        ),
        Requirement(
            "How effective the arrangements have been",
            "chapter 2, Reporting",
            "The report must include how effective the arrangements have been in practice.",
            any_of=("statements", "audits"),
        ),
    ),
    copy_to="the Child Safeguarding Practice Review Panel and Foundations (the What Works "
    "Centre for Children and Families)",
    copy_citation="chapter 2, Reporting",
    copy_within_days=7,
)

FRAMEWORKS: dict[str, StatutoryFramework] = {f.key: f for f in (WT2015, WT2018, WT2023)}


def framework_for(period: ReportingPeriod) -> StatutoryFramework:
    """The framework the period's report answers to."""
    return FRAMEWORKS[period.framework_in_force]
