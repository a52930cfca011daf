"""Whatever staff type into an entry, no script reaches a public page."""

import datetime

from django.urls import reverse

from meetings.models import Meeting


def test_script_and_javascript_links_in_an_entry_never_reach_a_page(client, year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(
        text="We met <script>alert('entry')</script> and read [the log](javascript:alert(1)) "
        'and <a href="JaVaScRiPt:alert(2)" onclick="alert(3)">this</a> '
        '<img src=x onerror="alert(4)"> and [the website](https://www.example.org/log).'
    )
    for url in [
        reverse("group_detail", args=[year.slug, exploitation.slug]),
        meeting.url_in(year),
    ]:
        content = client.get(url).content.decode()
        assert "alert(" not in content
        assert "javascript:" not in content.lower()
        assert "onerror" not in content and "onclick" not in content
        assert "<img" not in content
        assert "the log" in content
        assert (
            '<a href="https://www.example.org/log" rel="noopener noreferrer">the website</a>'
            in content
        )
