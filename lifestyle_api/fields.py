"""marshmallow fields and schema pieces shared by every feature.

- `Text`: every string a client sends (body, query): valid Unicode text, so never a lone
  surrogate and never a NUL (`is_valid_text`, which the headers that carry values use too);
  with a `pattern`, the whole value must match it (a trailing newline is not "the end").
- `Instant`: RFC 3339 with an offset on input (a naive timestamp is a 400), UTC with `Z`
  on output.
- `Day`: a calendar day `YYYY-MM-DD`.
- `LocalTime`: a wall-clock time `HH:MM` (00:00 to 23:59), kept as that string.
- `Number`: a JSON number (marshmallow's `Float` also takes numeric strings such as "72.4");
  `Boolean`: a JSON `true` or `false`, nothing else.
- Both are accepted from `EARLIEST_DAY` to `LATEST_DAY` only: far enough from the ends of
  Python's calendar that every time zone, week and streak computed from them exists.
- `StrictSchema`: unknown fields are an error, never silently stored.
- `OptionalBodySchema`: a request body the contract lets the client leave out.
- `ListArgs` / `page_schema`: API.md's list convention (`limit`, `cursor`, `nextCursor`);
  `InstantRangeArgs` adds inclusive `from` / `to` instants.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime

import marshmallow as ma
from marshmallow import validate

from .timeutil import format_instant, to_utc

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_CURSOR_LENGTH = 2048
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


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class OptionalBodySchema(StrictSchema):
    """A request body the contract lets the client leave out: no body, or an empty one sent
    as `Content-Type: application/json` (as generated clients do), reads as `{}`. Routes
    taking it declare the body `required=False`."""


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


class ListArgs(StrictSchema):
    """`?limit=&cursor=` on every list."""

    limit = ma.fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "Page size, 1–100."},
    )
    cursor = Text(
        validate=validate.Length(min=1, max=MAX_CURSOR_LENGTH),
        metadata={"description": "`nextCursor` of the previous page; opaque."},
    )


class InstantRangeArgs(ListArgs):
    """`from` / `to`: inclusive instants with an offset; either may be left out."""

    start = Instant(
        data_key="from",
        metadata={"description": "Inclusive lower bound (RFC 3339 with an offset)."},
    )
    end = Instant(
        data_key="to",
        metadata={"description": "Inclusive upper bound (RFC 3339 with an offset)."},
    )

    @ma.validates_schema
    def range_is_ordered(self, data, **_kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("`to` must not be before `from`.", field_name="to")


def patch_schema(schema: type[ma.Schema], name: str, doc: str) -> type[ma.Schema]:
    """The body of a partial update: `schema`'s writable fields, none required and none
    defaulted, so a PATCH changes exactly what the client sends, under the same rules."""
    fields = {}
    for field_name, field in schema._declared_fields.items():
        if field.dump_only:
            continue
        optional = copy.deepcopy(field)
        optional.required = False
        optional.load_default = ma.missing
        fields[field_name] = optional
    patch = StrictSchema.from_dict(fields, name=name)
    patch.__doc__ = doc
    return patch


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """`{"items": [...], "nextCursor": "<opaque>" | null}` for one kind of item."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "nextCursor": ma.fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null at the end."},
            ),
        },
        name=name,
    )
