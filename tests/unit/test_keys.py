"""Key formats of the single table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from lifestyle_api.db import keys


def test_user_partition_and_item_keys():
    assert keys.user_pk("abc") == "USER#abc"
    assert keys.goal_sk("01J") == "GOAL#01J"
    assert keys.checkin_sk("01J", date(2026, 11, 26)) == "CHECKIN#01J#2026-11-26"
    assert keys.entry_sk(keys.ACTIVITY_PREFIX, "01A") == "ACTIVITY#01A"
    assert keys.entry_sk(keys.MEAL_PREFIX, "01M") == "MEAL#01M"
    assert keys.entry_sk(keys.METRIC_PREFIX, "01X") == "METRIC#01X"


def test_instants_in_keys_are_fixed_width_utc():
    local = datetime(2026, 11, 26, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    assert (
        keys.entry_time_key(keys.ACTIVITY_PREFIX, local, "01A")
        == "ACTIVITY#2026-11-26T06:30:00.000Z#01A"
    )
    with_ms = datetime(2026, 11, 26, 6, 30, 0, 123456, tzinfo=UTC)
    assert (
        keys.entry_time_key(keys.MEAL_PREFIX, with_ms, "01M") == "MEAL#2026-11-26T06:30:00.123Z#01M"
    )
    assert (
        keys.entry_time_key(keys.metric_type_prefix("steps"), with_ms, "01X")
        == "METRIC#steps#2026-11-26T06:30:00.123Z#01X"
    )


def test_time_keys_sort_as_time():
    earlier = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    later = earlier + timedelta(milliseconds=1)
    assert keys.entry_time_key(keys.ACTIVITY_PREFIX, earlier, "Z") < keys.entry_time_key(
        keys.ACTIVITY_PREFIX, later, "A"
    )


def test_day_index_keys():
    assert keys.day_key("2026-11-26", "MEAL", "01M") == "DAY#2026-11-26#MEAL#01M"
    assert keys.day_key(date(2026, 11, 26), "METRIC", "steps", "01X") == (
        "DAY#2026-11-26#METRIC#steps#01X"
    )
    assert keys.day_key("2026-11-26", "MEAL", "x").startswith(keys.day_prefix("2026-11-26"))


def test_user_supplied_parts_are_encoded():
    marker = keys.source_marker_sk("fit#bit", "ab#c%d")
    assert marker == "SOURCE#fit%23bit#ab%23c%25d"
    assert marker.count("#") == 2
    assert keys.source_marker_sk("a#b", "c") != keys.source_marker_sk("a", "b#c")


def test_status_index_is_sharded_and_stable():
    shard = keys.status_shard("user-1")
    assert 0 <= shard < keys.STATUS_SHARDS
    assert keys.status_shard("user-1") == shard
    assert keys.status_gsi_pk_for_user("active", "user-1") == f"STATUS#ACTIVE#{shard:02d}"
    assert len({keys.status_shard(f"user-{i}") for i in range(200)}) == keys.STATUS_SHARDS
    updated = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    assert keys.status_gsi_sk("user-1", updated) == "USER#user-1#2026-11-26T06:30:00.000Z"
