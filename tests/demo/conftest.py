"""The demo's own tests: the Buckinghamshire 2018/19 year, loaded from its data file, must
reproduce the source report. Every other test builds its data with factories."""

import pytest

from bscb.core.models import ReportingPeriod
from bscb.reports.demo import load_demo


@pytest.fixture
def demo_year(db):
    load_demo()
    return ReportingPeriod.objects.get(slug="2018-19")
