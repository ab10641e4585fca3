"""`DaySet`: a set of days as a bit string. Set behaviour, canonical storage, and the streak
rules on it agreeing with the day-by-day reference on random histories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifestyle_api.dayset import DaySet, scheduled_bits
from lifestyle_api.goals.progress import habit_progress, scheduled_weekdays
from lifestyle_api.goals.shape import WEEKDAYS
from tests.support import streak_oracle

THU = date(2026, 11, 26)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_an_empty_set():
    empty = DaySet()

    assert not empty
    assert len(empty) == 0
    assert list(empty) == []
    assert empty.first is None
    assert empty.last is None
    assert THU not in empty
    assert empty.serialize() == ""
    assert DaySet.parse("") == empty == DaySet.of([])
    assert empty.window(THU, THU + timedelta(days=2)) == "000"


def test_a_set_behaves_like_a_set_of_days():
    days = DaySet.of([d("2026-11-20"), d("2026-11-26"), d("2026-11-21")])

    assert len(days) == 3
    assert list(days) == [d("2026-11-20"), d("2026-11-21"), d("2026-11-26")]
    assert days.first == d("2026-11-20")
    assert days.last == d("2026-11-26")
    assert d("2026-11-21") in days
    assert d("2026-11-22") not in days
    assert d("2026-11-19") not in days
    assert d("2026-11-27") not in days
    assert "2026-11-21" not in days  # only dates are members


def test_adding_and_removing_days_keeps_the_form_canonical():
    days = DaySet.of([d("2026-11-20")])

    grown = days.with_day(d("2026-11-26")).with_day(d("2026-11-10"))
    assert grown == DaySet.of([d("2026-11-10"), d("2026-11-20"), d("2026-11-26")])
    assert grown.with_day(d("2026-11-20")) is grown

    shrunk = grown.without_day(d("2026-11-10")).without_day(d("2026-11-26"))
    assert shrunk == days
    assert shrunk.first == shrunk.last == d("2026-11-20")
    assert shrunk.without_day(d("2026-11-01")) is shrunk
    assert not shrunk.without_day(d("2026-11-20"))


def test_stored_as_first_day_and_hex_digits():
    days = DaySet.of([d("2026-11-20"), d("2026-11-21"), d("2026-11-23"), d("2026-11-27")])

    # Bits 1101 0001 from the 20th: hex d1.
    assert days.serialize() == "2026-11-20:d1"
    assert DaySet.parse("2026-11-20:d1") == days
    # Leading zero digits are days too, and padding after the last day is dropped.
    assert DaySet.parse("2026-11-20:0f").first == d("2026-11-24")
    assert DaySet.parse("2026-11-20:0f") == DaySet.of(
        [d("2026-11-24"), d("2026-11-25"), d("2026-11-26"), d("2026-11-27")]
    )


def test_ten_years_of_daily_check_ins_fit_in_under_a_kilobyte():
    start = d("2016-11-27")
    days = DaySet.of(start + timedelta(days=n) for n in range(3653))

    assert len(days.serialize()) < 1000
    assert len(DaySet.parse(days.serialize())) == 3653


def test_windows_and_counts():
    days = DaySet.of([d("2026-11-20"), d("2026-11-22")])

    assert days.window(d("2026-11-18"), d("2026-11-24")) == "0010100"
    assert days.window(d("2026-11-21"), d("2026-11-21")) == "0"
    assert days.window(d("2026-11-22"), d("2026-11-20")) == ""
    assert days.count_between(d("2026-11-21"), d("2026-11-30")) == 1
    assert days.count_between(d("2026-11-01"), d("2026-11-30")) == 2


def test_scheduled_bits_leave_out_unscheduled_days():
    # From Friday 2026-11-20: Fri Sat Sun Mon Tue Wed Thu Fri.
    bits = "10110011"
    mon_wed_fri = scheduled_weekdays(["mon", "wed", "fri"])

    assert scheduled_bits(bits, d("2026-11-20"), mon_wed_fri) == "1101"
    assert scheduled_bits(bits, d("2026-11-20"), scheduled_weekdays(None)) == bits


day_sets = st.sets(st.integers(min_value=-120, max_value=20), max_size=90).map(
    lambda offsets: {THU + timedelta(days=n) for n in offsets}
)
schedules = st.one_of(st.none(), st.sets(st.sampled_from(WEEKDAYS), min_size=1).map(sorted))


@settings(max_examples=300, deadline=None)
@given(days=day_sets, today_offset=st.integers(min_value=-130, max_value=25), schedule=schedules)
def test_daily_streaks_agree_with_the_day_by_day_rules(days, today_offset, schedule):
    today = THU + timedelta(days=today_offset)

    progress = habit_progress(days, today, days_of_week=schedule)

    expected = (
        streak_oracle.daily_streaks(days, today, scheduled_weekdays(schedule)) if days else (0, 0)
    )
    assert (progress.streak_current, progress.streak_longest) == expected
    assert progress.check_in_count == len(days)
    assert progress.last_check_in_date == max(days, default=None)


@settings(max_examples=300, deadline=None)
@given(
    days=day_sets,
    today_offset=st.integers(min_value=-130, max_value=25),
    quota=st.integers(min_value=1, max_value=7),
)
def test_weekly_streaks_agree_with_the_day_by_day_rules(days, today_offset, quota):
    today = THU + timedelta(days=today_offset)

    progress = habit_progress(days, today, frequency="weekly", times_per_week=quota)

    expected = streak_oracle.weekly_streaks(days, today, quota) if days else (0, 0)
    assert (progress.streak_current, progress.streak_longest) == expected


@settings(max_examples=200, deadline=None)
@given(days=day_sets, extra=st.integers(min_value=-150, max_value=30))
def test_set_operations_agree_with_python_sets(days, extra):
    day = THU + timedelta(days=extra)
    bits = DaySet.of(days)

    assert set(bits) == days
    assert DaySet.parse(bits.serialize()) == bits
    assert set(bits.with_day(day)) == days | {day}
    assert set(bits.without_day(day)) == days - {day}
    assert (day in bits) == (day in days)


@pytest.mark.parametrize("text", ["2026-11-20", "2026-11-20:zz", "not a day:ff"])
def test_a_malformed_stored_value_is_an_error_not_a_silent_empty_set(text):
    with pytest.raises(ValueError, match=r"[Ii]nvalid"):
        DaySet.parse(text)
