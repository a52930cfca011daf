"""A report that first came out before it was put in this system says so: "First published
30 September 2019; this edition published ..." where the original date is known, nothing where
it is not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from bscb.reports.editions import period_publish
from tests.pages import page_text

FIRST = datetime.date(2019, 9, 30)


# Publishing at a fixed moment: the page's date and the test's cannot straddle midnight.
PUBLISHED = "2019-10-14 10:00:00"


def test_the_contents_and_the_home_page_say_when_the_report_first_came_out(client, small_year):
    period = small_year.period
    period.first_published_on = FIRST
    period.save()
    with freeze_time(PUBLISHED):
        period_publish(period=period, accept_missing=True, note="The original date recorded.")
    contents = page_text(client.get(reverse("period_detail", args=[period.slug])))
    assert (
        "Edition 2, first published 30 September 2019; "
        "this edition published 14 October 2019." in contents
    )
    assert "first published 30 September 2019" in page_text(client.get(reverse("home")))


def test_without_an_original_date_only_the_editions_own_is_given(client, small_year):
    period = small_year.period
    assert period.first_published_on is None
    with freeze_time(PUBLISHED):
        period_publish(period=period, accept_missing=True, note="A second edition.")
    contents = page_text(client.get(reverse("period_detail", args=[period.slug])))
    assert "first published" not in contents.lower()
    assert "Edition 2, published 14 October 2019." in contents


def test_an_original_date_in_the_future_or_before_the_period_began_is_refused(small_year):
    period = small_year.period
    for bad, message in [
        (timezone.localdate() + datetime.timedelta(days=1), "cannot be in the future"),
        (period.start - datetime.timedelta(days=1), "before the period began"),
    ]:
        period.first_published_on = bad
        with pytest.raises(ValidationError) as refused:
            period.full_clean()
        assert message in " ".join(refused.value.message_dict["first_published_on"])
