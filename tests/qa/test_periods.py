"""Quarters, halves and periods counted back from today, as analysts write them (kg.qa.periods)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.qa.constraints import read_constraints
from kg.qa.periods import read_period

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("repairs on the leeds hpu in q1 2025", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-Q3 failures", date(2025, 7, 1), date(2025, 9, 30)),
        ("second quarter of 2024", date(2024, 4, 1), date(2024, 6, 30)),
        ("H1 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("first half of 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("wo history lds-p-101 last 6 months", date(2026, 6, 4), TODAY),
        ("the last three months", date(2026, 9, 4), TODAY),
        ("over the past year", date(2025, 12, 4), TODAY),
        ("failures last year", date(2025, 1, 1), date(2025, 12, 31)),  # the calendar year before
        ("this year", date(2026, 1, 1), TODAY),
        ("last month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last quarter", date(2026, 7, 1), date(2026, 9, 30)),
    ],
)
def test_periods(text: str, since: date, until: date) -> None:
    p = read_period(text, today=TODAY)
    assert p is not None and (p.since, p.until) == (since, until)


@pytest.mark.parametrize("text", ["q5 2025", "open wos at leeds", "last-minute change", "the 2nd unit"])
def test_no_period(text: str) -> None:
    assert read_period(text, today=TODAY) is None


def test_a_period_is_a_date_condition_and_its_words_link_nothing() -> None:
    q = "repairs on the leeds hpu in q1 2025"
    c = read_constraints(q)
    assert (c.since, c.until) == (date(2025, 1, 1), date(2025, 3, 31))
    assert c.blank(q).strip() == "repairs on the leeds hpu"


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("circ pump motor in ostrava - wo history 2024 thru 2025", date(2024, 1, 1), date(2025, 12, 31)),
        ("work orders 2024-2025 on the press", date(2024, 1, 1), date(2025, 12, 31)),
        ("jan 2024 to mar 2025 orders", date(2024, 1, 1), date(2025, 3, 31)),
        ("which of leeds_work_orders_2024-2026.csv", None, None),  # a file's name, not a range
        (
            "what docs do we have on the OST-P-201-M brg spalling in apr 25",
            date(2025, 4, 1),
            date(2025, 4, 30),
        ),
        ("the hose burst on the press back in feb '25", date(2025, 2, 1), date(2025, 2, 28)),
        ("the delivery due on apr 25", None, None),  # a day of some year: not read
    ],
)
def test_two_points_make_a_range_without_from_or_between(text: str, since: date, until: date) -> None:
    c = read_constraints(text)
    assert (c.since, c.until) == (since, until)
