"""`DaySet`: a set of calendar days kept as a bit string, one character per day.

A habit's check-in days are read on every goal answer and can span years. As a bit string
(`"1101…"`, character i is day `first + i`) they are stored in a few hundred bytes (`"<first
day>:<hex>"`, four days to a hex digit) and read with string operations that run in C:
counting, finding the last day, slicing a window, splitting into runs. No Python step is
taken per day, so reading a goal costs the same with a week of history or ten years.

Values are immutable and canonical: `first` is the earliest day in the set and the bits end
with its latest, so equal sets have equal representations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import zip_longest

ONE_DAY = timedelta(days=1)


class DaySet:
    __slots__ = ("_bits", "_first")

    def __init__(self, first: date | None = None, bits: str = "") -> None:
        start = bits.find("1")
        if first is None or start < 0:
            first, bits = None, ""
        else:
            first += timedelta(days=start)
            bits = bits[start : bits.rindex("1") + 1]
        self._first = first
        self._bits = bits

    @classmethod
    def of(cls, days: Iterable[date]) -> DaySet:
        ordinals = {day.toordinal() for day in days}
        if not ordinals:
            return cls()
        low = min(ordinals)
        marks = bytearray(b"0" * (max(ordinals) - low + 1))
        for ordinal in ordinals:
            marks[ordinal - low] = ord("1")
        return cls(date.fromordinal(low), marks.decode())

    # Storage: "<first day>:<hex>", the bits padded with zeros to whole hex digits.

    def serialize(self) -> str:
        if self._first is None:
            return ""
        padded = self._bits + "0" * (-len(self._bits) % 4)
        return f"{self._first.isoformat()}:{int(padded, 2):0{len(padded) // 4}x}"

    @classmethod
    def parse(cls, text: str) -> DaySet:
        if not text:
            return cls()
        first, _, digits = text.partition(":")
        return cls(date.fromisoformat(first), f"{int(digits, 16):0{len(digits) * 4}b}")

    # The set's view.

    @property
    def first(self) -> date | None:
        return self._first

    @property
    def last(self) -> date | None:
        if self._first is None:
            return None
        return self._first + timedelta(days=len(self._bits) - 1)

    def __len__(self) -> int:
        return self._bits.count("1")

    def __bool__(self) -> bool:
        return self._first is not None

    def __contains__(self, day: object) -> bool:
        if self._first is None or not isinstance(day, date):
            return False
        offset = (day - self._first).days
        return 0 <= offset < len(self._bits) and self._bits[offset] == "1"

    def __iter__(self) -> Iterator[date]:
        first = self._first
        return (first + timedelta(days=i) for i, bit in enumerate(self._bits) if bit == "1")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DaySet):
            return (self._first, self._bits) == (other._first, other._bits)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._first, self._bits))

    def __repr__(self) -> str:
        return f"DaySet.parse({self.serialize()!r})"

    def with_day(self, day: date) -> DaySet:
        if day in self:
            return self
        if self._first is None:
            return DaySet(day, "1")
        if day < self._first:
            gap = (self._first - day).days
            return DaySet(day, "1" + "0" * (gap - 1) + self._bits)
        offset = (day - self._first).days
        bits = self._bits.ljust(offset + 1, "0")
        return DaySet(self._first, bits[:offset] + "1" + bits[offset + 1 :])

    def without_day(self, day: date) -> DaySet:
        if day not in self:
            return self
        offset = (day - self._first).days
        return DaySet(self._first, self._bits[:offset] + "0" + self._bits[offset + 1 :])

    def window(self, start: date, end: date) -> str:
        """The bits of the days from `start` to `end` inclusive ("" when `end < start`)."""
        length = (end - start).days + 1
        if length <= 0:
            return ""
        if self._first is None:
            return "0" * length
        offset = (start - self._first).days
        if offset >= 0:
            bits = self._bits[offset : offset + length]
        else:
            bits = "0" * min(-offset, length) + self._bits[: max(length + offset, 0)]
        return bits.ljust(length, "0")

    def count_between(self, start: date, end: date) -> int:
        """How many days of the set fall from `start` to `end` inclusive."""
        return self.window(start, end).count("1")


def scheduled_bits(bits: str, first: date, weekdays: frozenset[int]) -> str:
    """`bits` (day `first` onwards) with the days whose weekday is not in `weekdays` left out;
    the rest keep their order. One slice per weekday, interleaved a week at a time."""
    if len(weekdays) == 7:
        return bits
    offsets = [o for o in range(7) if (first.weekday() + o) % 7 in weekdays]
    columns = [bits[offset::7] for offset in offsets]
    return "".join(map("".join, zip_longest(*columns, fillvalue="")))
