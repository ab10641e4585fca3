"""`Record` behaves as the named tuple it replaces: built by position or keyword with its
defaults, read by name, index and unpacking, compared, ordered and hashed as a tuple,
immutable, copied and pickled whole, and refusing what a named tuple refuses."""

from __future__ import annotations

import copy
import pickle
from typing import Generic, NamedTuple, TypeVar

import pytest

from lifestyle_api.records import Record

Value = TypeVar("Value")


class Window(Record):
    """A day's window."""

    start: int
    end: int
    label: str = "day"

    @property
    def length(self) -> int:
        return self.end - self.start


class WindowTuple(NamedTuple):
    start: int
    end: int
    label: str = "day"


class Boxed(Record, Generic[Value]):
    value: Value
    note: str | None = None


def test_a_record_is_built_by_position_or_keyword_and_read_by_name():
    window = Window(1, 5)

    assert (window.start, window.end, window.label) == (1, 5, "day")
    assert Window(start=1, end=5, label="night") == (1, 5, "night")
    assert Window(1, end=5) == window
    assert window.length == 4
    assert window.__doc__ == "A day's window."


def test_a_record_is_the_tuple_a_named_tuple_would_be():
    window, twin = Window(1, 5, "x"), WindowTuple(1, 5, "x")

    assert window == twin
    assert hash(window) == hash(twin)
    assert isinstance(window, tuple)
    assert list(window) == list(twin)
    assert window[1] == 5
    assert window[-1] == "x"
    assert len(window) == 3
    start, end, label = window
    assert (start, end, label) == (1, 5, "x")
    ordered = sorted([Window(2, 3), Window(1, 9), Window(1, 4)])
    assert ordered == [(1, 4, "day"), (1, 9, "day"), (2, 3, "day")]
    assert repr(window) == "Window(start=1, end=5, label='x')"
    assert repr(twin) == "WindowTuple(start=1, end=5, label='x')"


def test_a_record_has_the_named_tuple_helpers():
    window = Window(1, 5)

    assert Window._fields == WindowTuple._fields == ("start", "end", "label")
    assert Window._field_defaults == WindowTuple._field_defaults == {"label": "day"}
    assert Window.__match_args__ == ("start", "end", "label")
    assert window._replace(end=9) == Window(1, 9)
    assert window._asdict() == {"start": 1, "end": 5, "label": "day"}
    assert Window._make([2, 3, "x"]) == Window(2, 3, "x")
    with pytest.raises(ValueError, match="unexpected field names: \\['finish'\\]"):
        window._replace(finish=2)
    match window:
        case Window(start, end):
            assert (start, end) == (1, 5)


def test_a_record_is_immutable():
    window = Window(1, 5)

    with pytest.raises(AttributeError, match="immutable"):
        window.start = 2
    with pytest.raises(AttributeError, match="immutable"):
        window.other = 2
    with pytest.raises(AttributeError, match="immutable"):
        del window.start
    assert window == (1, 5, "day")


def test_a_record_copies_and_pickles_whole():
    window = Window(1, [5], "x")

    assert copy.copy(window) == window
    deep = copy.deepcopy(window)
    assert deep == window
    assert type(deep) is Window
    assert deep.end is not window.end
    assert pickle.loads(pickle.dumps(Window(1, 5))) == Window(1, 5)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1,), {}, "Window needs field 'end'"),
        ((1, 2, "x", 4), {}, "Window takes 3 fields, 4 given"),
        ((1, 2), {"start": 3}, "'start' was given twice"),
        ((1, 2), {"finish": 3}, "'finish' is not a field"),
    ],
)
def test_a_record_refuses_missing_extra_and_unknown_fields(args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        Window(*args, **kwargs)


def test_a_generic_record_takes_its_parameter():
    boxed = Boxed[int](3)

    assert boxed == (3, None)
    assert boxed.value == 3
    assert Boxed._fields == ("value", "note")


def test_fields_are_declared_once_and_defaults_come_last():
    with pytest.raises(TypeError, match="declared once"):

        class Wider(Window):
            extra: int

    with pytest.raises(TypeError, match="'end' follows a default"):

        class Backwards(Record):
            start: int = 0
            end: int

    class Described(Window):
        def describe(self) -> str:
            return f"{self.label}: {self.length}"

    assert Described(1, 3).describe() == "day: 2"
    assert Described._fields == Window._fields
