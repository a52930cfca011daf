"""`manage.py worker` with each section and meeting page of publishing slowed by
SLOW_PAGE_SECONDS, for the browser story: a small year publishes in well under a second,
too fast for a page polling once a second to show the bar moving. Everything else is the
real worker."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bscb.settings")
django.setup()

from django.core.management import execute_from_command_line  # noqa: E402

from bscb.reports import pages  # noqa: E402

PAUSE = float(os.environ.get("SLOW_PAGE_SECONDS", "0.2"))


def slowed(render):
    def render_slowly(*args, **kwargs):
        time.sleep(PAUSE)
        return render(*args, **kwargs)

    return render_slowly


pages.section_page = slowed(pages.section_page)
pages.meeting_page = slowed(pages.meeting_page)
execute_from_command_line(["manage.py", "worker", *sys.argv[1:]])
