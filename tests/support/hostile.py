"""Hostile input for tests: strings that are not valid Unicode text, JSON numbers that Python
or DynamoDB cannot take, JSON text that carries them wherever a body has a value, and
Hypothesis strategies that mix them into otherwise valid requests.

JSON text is written by hand here (`to_json_text`) because `json.dumps` cannot write what
these tests need: integers of thousands of digits (Python refuses to turn them into text
past its int-digit limit), `NaN`, and numbers whose digits must reach the server exactly as
written (`1.000…0001`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from tests.support.routes import resolve

# Each is a 400 wherever a string enters (API.md "Input limits").
LONE_SURROGATE = "\ud800"
HOSTILE_STRINGS = {
    "a lone high surrogate": LONE_SURROGATE,
    "a lone low surrogate": "x\udfffy",
    "a NUL": "a\x00b",
    "only a NUL": "\x00",
}

# JSON number literals that are a 400 at parse time on every route that reads a body.
DIGITS_OVER_PYTHONS_LIMIT = "1" * 5000
HOSTILE_NUMBERS = {
    "an integer over Python's digit limit": DIGITS_OVER_PYTHONS_LIMIT,
    "a negative integer over Python's digit limit": "-" + DIGITS_OVER_PYTHONS_LIMIT,
    "an integer of 31 digits": "1" + "0" * 30,
    "39 significant digits": "1." + "0" * 37 + "1",
    "a number above DynamoDB's range": "1e126",
    "a number that rounds to DynamoDB's limit": "9.9999999999999999999999999999999999999E+125",
    "a number below DynamoDB's range": "-1E+126",
    "infinity as a number": "1e400",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
}
# Numbers at the edges of what is accepted (the route's own validation decides the rest).
STORABLE_NUMBERS = {
    "an integer of 30 digits": "9" * 30,
    "38 significant digits": "1." + "0" * 36 + "1",
    "the largest float under DynamoDB's limit": "9.999999999999998E+125",
    "a number too small to store, read as 0": "1e-400",
}


class Literal(str):
    """A value written into JSON text exactly as it is (a number's digits, `NaN`)."""


def to_json_text(value: Any) -> str:
    """JSON text of `value`, `Literal`s written as they are and strings escaped to ASCII (a
    lone surrogate becomes `\\ud800`, as a client's JSON library writes it)."""
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, dict):
        members = (f"{to_json_text(str(k))}:{to_json_text(v)}" for k, v in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json_text(item) for item in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, "NaN")
    return json.dumps(value, ensure_ascii=True)


def lookup(body: Any, path: tuple) -> Any:
    for step in path:
        body = body[step]
    return body


def replaced(body: Any, path: tuple, value: Any) -> Any:
    """A copy of `body` with `value` at `path` (the path must exist)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(body, dict):
        return {k: replaced(v, rest, value) if k == head else v for k, v in body.items()}
    return [replaced(v, rest, value) if i == head else v for i, v in enumerate(body)]


def leaves(body: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every `(path, value)` of a JSON document's scalars."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from leaves(value, (*path, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from leaves(value, (*path, index))
    else:
        yield path, body


def schema_paths(schema: dict[str, Any], path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every `(path, schema)` of a request schema; arrays step into their first element."""
    schema = resolve(schema)
    branches = [resolve(s) for s in schema.get("anyOf", []) if "$ref" in s]
    for branch in branches:
        yield from schema_paths(branch, path)
    if branches:
        return
    yield path, schema
    for name, prop in schema.get("properties", {}).items():
        if not resolve(prop).get("readOnly") and not prop.get("readOnly"):
            yield from schema_paths(prop, (*path, name))
    if schema.get("type") == "array" and "items" in schema:
        yield from schema_paths(schema["items"], (*path, 0))


# ---- Hypothesis strategies ----------------------------------------------------------------

hostile_characters = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff"])
# Text with at least one character no layer below may take, anywhere in it.
hostile_text = st.builds(
    lambda before, bad, after: before + bad + after,
    st.text(max_size=20),
    hostile_characters,
    st.text(max_size=20),
)
# Integers too long for Python (over 4,300 digits) or for the contract (over 30 digits).
huge_integers = st.builds(
    lambda sign, digits: Literal(sign + digits),
    st.sampled_from(["", "-"]),
    st.one_of(
        st.integers(31, 200).map(lambda n: "7" * n),
        st.integers(4301, 9000).map(lambda n: "3" * n),
    ),
)
# Decimals with too many significant digits, or an exponent out of DynamoDB's range.
unstorable_decimals = st.one_of(
    st.integers(39, 120).map(lambda n: Literal("0." + "1" * n)),
    st.integers(126, 100_000).map(lambda e: Literal(f"1.5e{e}")),
    st.integers(126, 100_000).map(lambda e: Literal(f"-2E+{e}")),
    st.sampled_from([Literal("NaN"), Literal("Infinity"), Literal("-Infinity")]),
)
hostile_numbers = st.one_of(huge_integers, unstorable_decimals)
# Anything a JSON document may hold, hostile or not, nested a few levels.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    hostile_text,
    hostile_numbers,
)
json_documents = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), hostile_text), children, max_size=4),
    ),
    max_leaves=12,
)
hostile_values = st.one_of(hostile_text, hostile_numbers)
