"""The marshmallow field types every feature's schemas use (the schemas they derive from are
in `base_schemas`).

- `Text`: every string a client sends (body, query): valid Unicode text, so never a lone
  surrogate and never a NUL (`is_valid_text`, which the headers that carry values use too);
  with a `pattern`, the whole value must match it (a trailing newline is not "the end").
- `Instant`: RFC 3339 with an offset on input (a naive timestamp is a 400), UTC with `Z`
  on output.
- `Day`: a calendar day `YYYY-MM-DD`.
- `LocalTime`: a wall-clock time `HH:MM` (00:00 to 23:59), kept as that string.
- `Number`: a JSON number (marshmallow's `Float` also takes numeric strings such as "72.4");
  `Amount`: a quantity, a number from 0 to a maximum; `Boolean`: a JSON `true` or `false`,
  nothing else.
- Both are accepted from `EARLIEST_DAY` to `LATEST_DAY` only: far enough from the ends of
  Python's calendar that every time zone, week and streak computed from them exists.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import marshmallow as ma
from marshmallow import validate

from .timeutil import format_instant, to_utc

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
OUT_OF_RANGE = f"Give a date from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}."
INVALID_TEXT = "Send valid Unicode text: no NUL character and no lone surrogate."
DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"
# RFC 3339 (a space may stand for the `T`, as RFC 3339 allows; seconds may be left out).
INSTANT_PATTERN = r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})"


def is_valid_text(value: str) -> bool:
    """No NUL and no lone surrogate: text that every layer below (DynamoDB, Cognito, JSON
    logs, the response) can encode as UTF-8."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Text(ma.fields.String):
    """A string a client sends: valid Unicode text (no lone surrogate, no NUL). With
    `pattern`, the whole value must match it (`re.fullmatch`), and the OpenAPI document
    shows it anchored."""

    default_error_messages = {
        "invalid_text": INVALID_TEXT,
        "no_match": "Not in the expected format.",
    }

    def __init__(self, *, pattern: str | None = None, **kwargs) -> None:
        if pattern is not None:
            kwargs["metadata"] = {"pattern": f"^(?:{pattern})$", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.pattern = re.compile(pattern) if pattern is not None else None

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_valid_text(text):
            raise self.make_error("invalid_text")
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise self.make_error("no_match")
        return text


def _whole_text(field: ma.fields.Field, value, pattern: re.Pattern[str]) -> None:
    """Refuse what is not valid text or not entirely `pattern`, before a parser sees it."""
    if isinstance(value, str) and not (is_valid_text(value) and pattern.fullmatch(value)):
        raise field.make_error("invalid")


_DAY = re.compile(DAY_PATTERN, re.ASCII)
_INSTANT = re.compile(INSTANT_PATTERN, re.ASCII)


class Instant(ma.fields.AwareDateTime):
    """An instant: offset required on input, written as UTC with `Z`."""

    default_error_messages = {
        "invalid": "Not a valid RFC 3339 instant.",
        "invalid_awareness": "Give the instant with an offset, e.g. 2026-11-26T07:30:00+01:00.",
        "out_of_range": OUT_OF_RANGE,
    }

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=None, **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else format_instant(value)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        _whole_text(self, value, _INSTANT)
        instant = super()._deserialize(value, attr, data, **kwargs)
        try:
            instant = to_utc(instant)
        except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first UTC instant
            raise self.make_error("out_of_range") from None
        if not EARLIEST_DAY <= instant.date() <= LATEST_DAY:
            raise self.make_error("out_of_range")
        return instant


class Number(ma.fields.Float):
    """A number in a JSON body: a string is refused, as the documented `type: number` says."""

    def _deserialize(self, value, attr, data, **kwargs) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Amount(Number):
    """A quantity (a distance, an energy, a mass, a volume): a number from 0 to `maximum`."""

    def __init__(self, maximum: float, **kwargs) -> None:
        super().__init__(validate=validate.Range(min=0, max=maximum), **kwargs)


class Boolean(ma.fields.Boolean):
    """`true` or `false` in a JSON body: marshmallow's own also takes `1`, `"yes"`, `"on"`…"""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Day(ma.fields.Date):
    default_error_messages = {
        "invalid": "Not a valid day; use YYYY-MM-DD.",
        "out_of_range": OUT_OF_RANGE,
    }

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        _whole_text(self, value, _DAY)
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise self.make_error("out_of_range")
        return day


class LocalTime(ma.fields.String):
    """A local wall-clock time `HH:MM`, 00:00 to 23:59 (the whole value: no seconds, no
    trailing newline)."""

    PATTERN = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d", re.ASCII)
    default_error_messages = {"invalid_time": "Not a valid time; use HH:MM, 00:00 to 23:59."}

    def __init__(self, **kwargs):
        metadata = {"pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "07:30"}
        super().__init__(metadata={**metadata, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not self.PATTERN.fullmatch(text):
            raise self.make_error("invalid_time")
        return text
