"""Instants as the API writes them: UTC with `Z`, milliseconds only when there are any, and
always a four-digit year (`strftime("%Y")` writes `50` for the year 50 on Linux)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lifestyle_api.timeutil import format_instant, instant_key

PARIS_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("instant", "written", "key"),
    [
        (
            datetime(2026, 11, 26, 7, 30, tzinfo=PARIS_WINTER),
            "2026-11-26T06:30:00Z",
            "2026-11-26T06:30:00.000Z",
        ),
        (
            datetime(2026, 11, 26, 6, 30, 0, 535715, tzinfo=UTC),
            "2026-11-26T06:30:00.535Z",
            "2026-11-26T06:30:00.535Z",
        ),
        (
            datetime(2026, 11, 26, 6, 30, 0, 999, tzinfo=UTC),
            "2026-11-26T06:30:00Z",
            "2026-11-26T06:30:00.000Z",
        ),
        (
            datetime(50, 12, 12, 16, 27, 49, 535000, tzinfo=UTC),
            "0050-12-12T16:27:49.535Z",
            "0050-12-12T16:27:49.535Z",
        ),
    ],
)
def test_instants_are_written_in_utc_with_a_four_digit_year(instant, written, key):
    assert format_instant(instant) == written
    assert instant_key(instant) == key


def test_keys_sort_in_time_order_across_centuries():
    instants = [datetime(year, 1, 1, tzinfo=UTC) for year in (50, 999, 1000, 2026)]
    assert sorted(instant_key(i) for i in instants) == [instant_key(i) for i in instants]
