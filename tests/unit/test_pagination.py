"""Signed cursors: round trip, tampering, another caller, another query, garbage."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from lifestyle_api.exceptions import InvalidInput
from lifestyle_api.http.paging import decode_cursor, encode_cursor

KEY = {"PK": {"S": "USER#alice"}, "SK": {"S": "GOAL#01J"}}
QUERY = {"endpoint": "goals.Goals", "filters": {"status": "active"}}
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def cursor(**overrides):
    args = {"secret": "s3cret", "caller": "alice", "query": QUERY, **overrides}
    return encode_cursor(KEY, **args)


def cursor_of(key):
    return encode_cursor(key, secret="s3cret", caller="alice", query=QUERY)


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


def key_of_payload_length(length: int) -> dict:
    """A LastEvaluatedKey whose canonical JSON is `length` bytes long."""
    shortest = {"PK": {"S": "USER#alice"}, "SK": {"S": ""}}
    padding = length - len(json.dumps(shortest, separators=(",", ":")))
    return {"PK": {"S": "USER#alice"}, "SK": {"S": "GOAL#" + "x" * (padding - 5)}}


# Base64 writes 4 characters per 3 bytes; a payload of 3n, 3n+1 or 3n+2 bytes leaves 0, 2 or
# 3 characters over (the padding the cursor leaves out): every case, at several lengths.
PAYLOAD_LENGTHS = range(48, 60)


@pytest.mark.parametrize("length", PAYLOAD_LENGTHS)
def test_cursors_of_every_payload_length_round_trip(length):
    key = key_of_payload_length(length)
    value = cursor_of(key)
    payload, _, _signature = value.partition(".")
    assert len(json.dumps(key, separators=(",", ":"))) == length
    assert len(payload) == -(-length * 4 // 3), "base64 of the key, unpadded"
    assert decode(value) == key


def test_the_lengths_cover_every_base64_remainder():
    remainders = {
        len(cursor_of(key_of_payload_length(n)).split(".")[0]) % 4 for n in PAYLOAD_LENGTHS
    }
    assert remainders == {0, 2, 3}


@pytest.mark.parametrize("length", PAYLOAD_LENGTHS)
def test_cursors_are_url_safe_and_unpadded(length):
    assert URL_SAFE.fullmatch(cursor_of(key_of_payload_length(length)))


def test_the_cursor_format_is_stable_across_instances():
    # Any instance holding the same secret (another container, the next deployment) must
    # accept a cursor this one issued: the format is pinned, byte for byte.
    assert cursor() == (
        "eyJQSyI6eyJTIjoiVVNFUiNhbGljZSJ9LCJTSyI6eyJTIjoiR09BTCMwMUoifX0"
        ".nQc_mZW8bUH0tkxFL3FVDdfEP5P_aB_YgNnig0qGSSM"
    )


def test_the_query_is_compared_whatever_its_key_order():
    reordered = {"filters": {"status": "active"}, "endpoint": "goals.Goals"}
    assert decode(cursor(), query=reordered) == KEY


def test_filters_of_any_type_bind_the_cursor():
    since = {**QUERY, "filters": {"from": datetime(2026, 11, 26, 7, 30, tzinfo=UTC)}}
    value = cursor(query=since)
    assert decode(value, query=since) == KEY
    later = {**QUERY, "filters": {"from": datetime(2026, 11, 26, 7, 31, tzinfo=UTC)}}
    with pytest.raises(InvalidInput):
        decode(value, query=later)


def test_a_signed_payload_that_is_not_an_object_is_refused():
    signed_list = encode_cursor(["PK", "SK"], secret="s3cret", caller="alice", query=QUERY)
    with pytest.raises(InvalidInput) as error:
        decode(signed_list)
    assert error.value.details == {
        "cursor": ["The cursor is not valid for this list; start again without it."]
    }
