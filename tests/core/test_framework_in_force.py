"""The statutory guidance a period's report answers to follows its dates, unless staff choose."""

import datetime

import pytest

from bscb.core.models import Framework
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "framework"),
    [
        # A Local Safeguarding Children Board's last year, as Buckinghamshire's 2018/19.
        (datetime.date(2018, 4, 1), datetime.date(2019, 3, 31), Framework.WT2015),
        # The partners' arrangements were in place everywhere by 29 September 2019.
        (datetime.date(2019, 4, 1), datetime.date(2020, 3, 31), Framework.WT2018),
        (datetime.date(2022, 4, 1), datetime.date(2023, 3, 31), Framework.WT2018),
        # Working Together 2023 took effect on 15 December 2023.
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31), Framework.WT2023),
    ],
)
def test_the_period_end_chooses_the_framework(start, end, framework):
    period = PeriodFactory(start=start, end=end)
    assert period.framework_in_force == framework
    assert period.is_board_era == (framework == Framework.WT2015)


def test_staff_can_report_against_another_framework():
    period = PeriodFactory(
        start=datetime.date(2019, 4, 1), end=datetime.date(2020, 3, 31), framework="wt2023"
    )
    assert period.framework_in_force == Framework.WT2023
