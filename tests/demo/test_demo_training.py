"""The demo's training section and data give the source's figures."""

import json

from django.urls import reverse

from tests.pages import page_text


def test_the_demo_training_section_shows_the_sources_figures(client, demo_year):
    text = page_text(client.get(reverse("section", args=[demo_year.slug, "training"])))
    assert "Attendees 426" in text
    assert (
        "Cancelled 7: trainer illness (2), trainer no longer available (1), low enrolments (4)"
        in text
    )
    # The source: "commissioned an independent trainer to deliver four sessions".
    assert (
        "The board commissioned an independent trainer to deliver 4 sessions, all offered with "
        "the adults' board: 54 people attended." in text
    )
    assert "independent trainers" not in text
    assert "Attendees 201" in text
    assert "Family Outcomes Star" in text
    assert "a bespoke session for a Buckinghamshire County Council children's home" in text
    # The source lost these counts: the page states none of them.
    assert "Full-day courses offered" not in text
    assert "Sessions held" not in text
    assert "illustrative demo data" in text


def test_the_demo_training_pool_is_not_recorded_rather_than_none(client, demo_year):
    # The source says only that the pool is "diminishing": its size is not recorded.
    text = page_text(client.get(reverse("section", args=[demo_year.slug, "training"])))
    assert "The number of trainers in the pool is not recorded for 2018/19." in text
    content = client.get(reverse("dataset_csv", args=[demo_year.slug, "training"])).content
    assert "2018/19,pool_trainers,,,no\r\n" in content.decode()
    data = json.loads(
        client.get(reverse("dataset_json", args=[demo_year.slug, "training"])).content
    )
    pool = {row["figure"]: row["value"] for row in data["rows"]}
    assert pool["pool_trainers"] is None
    assert pool["pool_trainers_delivering_fewer_than_two"] is None


def test_the_demo_training_csv_has_the_sources_plain_figures(client, demo_year):
    content = client.get(reverse("dataset_csv", args=[demo_year.slug, "training"])).content.decode()
    assert content.startswith("period,figure,category,value,illustrative\r\n")
    assert "2018/19,full_day_attendees,,426,no\r\n" in content
    assert "2018/19,full_day_courses_offered,,,no\r\n" in content  # lost in the source: blank
    assert "2018/19,commissioned_attendees,,54,no\r\n" in content


def test_the_demo_training_split_by_sector_says_it_is_illustrative_in_the_data(client, demo_year):
    content = client.get(reverse("dataset_csv", args=[demo_year.slug, "training"])).content.decode()
    by_sector = [line for line in content.splitlines() if ",attendees_by_sector," in line]
    assert by_sector and all(line.endswith(",yes") for line in by_sector)
    data = json.loads(
        client.get(reverse("dataset_json", args=[demo_year.slug, "training"])).content
    )
    assert data["columns"][-1] == "illustrative"
    rows = [row for row in data["rows"] if row["figure"] == "attendees_by_sector"]
    assert rows and all(row["illustrative"] == "yes" for row in rows)
    documentation = page_text(client.get(reverse("data_documentation")))
    assert "yes where records marked illustrative (demo data" in documentation
