"""Signed cursors: round trip, tampering, another caller, another query, garbage."""

from __future__ import annotations

import pytest

from lifestyle_api.exceptions import InvalidInput
from lifestyle_api.http.paging import decode_cursor, encode_cursor

KEY = {"PK": {"S": "USER#alice"}, "SK": {"S": "GOAL#01J"}}
QUERY = {"endpoint": "goals.Goals", "filters": {"status": "active"}}


def cursor(**overrides):
    args = {"secret": "s3cret", "caller": "alice", "query": QUERY, **overrides}
    return encode_cursor(KEY, **args)


def decode(value, **overrides):
    args = {"secret": "s3cret", "caller": "alice", "query": QUERY, **overrides}
    return decode_cursor(value, **args)


def test_round_trip():
    assert decode(cursor()) == KEY


def test_end_of_list_has_no_cursor():
    assert encode_cursor(None, secret="s", caller="a", query={}) is None
    assert decode(None) is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"caller": "bob"},
        {"query": {"endpoint": "goals.Goals", "filters": {"status": "paused"}}},
        {"secret": "another-secret"},
    ],
)
def test_cursor_is_bound(overrides):
    with pytest.raises(InvalidInput) as error:
        decode(cursor(), **overrides)
    assert "cursor" in error.value.details


def test_tampered_payload_is_refused():
    payload, signature = cursor().split(".")
    edited = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    with pytest.raises(InvalidInput):
        decode(f"{edited}.{signature}")


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.", ".abc", "a.b.c", "%%%.$$$", "é.ü"])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidInput):
        decode(garbage)
