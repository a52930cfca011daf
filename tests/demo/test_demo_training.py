"""The demo's training section and data give the source's figures."""

from django.urls import reverse

from tests.pages import page_text


def test_the_demo_training_section_shows_the_sources_figures(client, demo_year):
    text = page_text(client.get(reverse("section", args=[demo_year.slug, "training"])))
    assert "Attendees 426" in text
    assert (
        "Cancelled 7: trainer illness (2), trainer no longer available (1), low enrolments (4)"
        in text
    )
    assert (
        "The board commissioned 4 sessions from independent trainers, all offered with the adults' board: 54 people attended."
        in text
    )
    assert "Attendees 201" in text
    assert "Family Outcomes Star" in text
    assert "a bespoke session for a Buckinghamshire County Council children's home" in text
    # The source lost these counts: the page states none of them.
    assert "Full-day courses offered" not in text
    assert "Sessions held" not in text
    assert "illustrative demo data" in text


def test_the_demo_training_csv_has_the_sources_plain_figures(client, demo_year):
    content = client.get(reverse("dataset_csv", args=[demo_year.slug, "training"])).content.decode()
    assert "2018/19,full_day_attendees,,426\r\n" in content
    assert "2018/19,full_day_courses_offered,,\r\n" in content  # lost in the source: left blank
    assert "2018/19,commissioned_attendees,,54\r\n" in content
