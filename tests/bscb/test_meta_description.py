"""Every public page tells search engines what it is about (a meta description), from its own
words where the records hold them (a section's introduction, the summary for children), else a
sentence built from the board's, period's and section's names."""

import re
from html import unescape

from django.test import Client
from django.urls import reverse

from bscb.reports.editions import period_publish
from bscb.reports.models import ReportSection
from tests.public_site import crawl
from tests.small_year import FOREWORD

DESCRIPTION = re.compile(rb'<meta name="description" content="([^"]*)">')


def description_of(body: bytes) -> str:
    found = DESCRIPTION.findall(body)
    assert len(found) == 1, f"{len(found)} descriptions"
    return unescape(found[0].decode())


def test_every_public_page_has_a_description_of_its_own(small_year):
    pages = {
        url: body
        for url, body in crawl(Client()).items()
        if body.lstrip().startswith(b"<!DOCTYPE html>")
    }
    assert len(pages) > 30
    descriptions = {url: description_of(body) for url, body in pages.items()}
    for url, text in descriptions.items():
        assert 20 < len(text) <= 160, f"{url}: {text!r}"
        assert "<" not in text and "{" not in text, f"{url}: {text!r}"
    # Each page of the report says something of its own, not one sentence for all.
    report_pages = [u for u in descriptions if u.startswith("/2018-19/") and "/editions/" not in u]
    assert len({descriptions[u] for u in report_pages}) == len(report_pages)


def test_a_sections_description_is_its_introduction_else_its_names(client, small_year):
    foreword = client.get(reverse("section", args=["2018-19", "foreword"])).content
    assert description_of(foreword) == FOREWORD
    untold = ReportSection.objects.filter(period=small_year.period, introduction="").first()
    page = client.get(reverse("section", args=["2018-19", untold.slug])).content
    assert description_of(page).startswith(f"{untold.title}: part of the Northshire")


def test_a_long_introduction_is_cut_at_a_word(client, small_year, support_officer):
    from bscb.reports.editions import period_publish

    foreword = ReportSection.objects.get(period=small_year.period, slug="foreword")
    foreword.introduction = "**Welcome** to our year. " + "We listened to children. " * 20
    foreword.save()
    period_publish(period=small_year.period, accept_missing=True, note="A longer foreword.")
    text = description_of(client.get(reverse("section", args=["2018-19", "foreword"])).content)
    assert text.startswith("Welcome to our year. We listened") and text.endswith("listened…")
    assert len(text) <= 160
    client.force_login(support_officer)  # signed in: the frame is made for the reader
    assert description_of(client.get("/2018-19/foreword/").content) == text


def test_a_groups_page_is_described_by_its_own_words_not_the_groups_shared_introduction(
    client, small_year
):
    groups = ReportSection.objects.get(period=small_year.period, kind="group", group=None)
    groups.introduction = "To support the Board we continued to have a number of subgroups."
    groups.save()
    period_publish(period=small_year.period, accept_missing=True, note="Groups.")
    exploitation = description_of(
        client.get(reverse("group_detail", args=["2018-19", "child-exploitation"])).content
    )
    assert exploitation.startswith("The subgroup makes sure agencies work together")
    esafety = description_of(
        client.get(reverse("group_detail", args=["2018-19", "e-safety"])).content
    )
    assert esafety.startswith("E-Safety Subgroup: the group's work in 2018/19")
    assert "number of subgroups" not in exploitation + esafety


def test_a_description_leaves_out_footnote_digits(client, small_year):
    foreword = ReportSection.objects.get(period=small_year.period, slug="foreword")
    foreword.introduction = "Northshire is a deprived county.¹² We listened to children."
    foreword.save()
    period_publish(period=small_year.period, accept_missing=True, note="Footnotes.")
    text = description_of(client.get(reverse("section", args=["2018-19", "foreword"])).content)
    assert text == "Northshire is a deprived county. We listened to children."
