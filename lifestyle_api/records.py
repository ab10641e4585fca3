"""`Record`: a named tuple declared as `typing.NamedTuple`'s are, that costs the cold start
little to define.

    class Window(Record):
        start: datetime
        end: datetime
        label: str = "day"

`typing.NamedTuple` turns each field's annotation (a string, with postponed annotations)
into a compiled `ForwardRef`, and `collections.namedtuple` builds each class with `eval`:
about 250 µs per class in a fresh process, 6.5 ms of every cold start for the app's
records. A `Record` class takes its field names from its annotations without evaluating
them and reads each field through an `operator.itemgetter` property: some 15 µs.

Instances are tuples, as a named tuple's are: compared, ordered, hashed, unpacked and
indexed as tuples, immutable, with `_fields`, `_field_defaults`, `_replace`, `_asdict` and
`_make`. A field with a value in the class body has that default; fields are declared once
(a subclass of a record adds methods, not fields).
"""

from __future__ import annotations

import inspect
from operator import itemgetter
from typing import Any, ClassVar, Self


class Record(tuple):
    __slots__ = ()

    _fields: ClassVar[tuple[str, ...]] = ()
    _field_defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = tuple(inspect.get_annotations(cls))
        if not names:
            return
        if cls._fields:
            raise TypeError(f"{cls.__name__}: a record's fields are declared once")
        defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
        required = [name for name in names if name not in defaults]
        if required and names.index(required[-1]) >= len(required):
            raise TypeError(f"{cls.__name__}: field {required[-1]!r} follows a default")
        cls._fields = names
        cls._field_defaults = defaults
        cls.__match_args__ = names
        for index, name in enumerate(names):
            setattr(cls, name, property(itemgetter(index)))

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        fields = cls._fields
        if len(args) == len(fields) and not kwargs:
            return tuple.__new__(cls, args)
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__} takes {len(fields)} fields, {len(args)} given")
        values = list(args)
        for name in fields[len(args) :]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                raise TypeError(f"{cls.__name__} needs field {name!r}")
        for name in kwargs:
            problem = "was given twice" if name in fields else "is not a field"
            raise TypeError(f"{cls.__name__}: {name!r} {problem}")
        return tuple.__new__(cls, values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
        )
        return f"{type(self).__name__}({fields})"

    def __getnewargs__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild a record from its values, as they do a named tuple.
        return tuple(self)

    @classmethod
    def _make(cls, values: Any) -> Self:
        return cls(*values)

    def _replace(self, **changes: Any) -> Self:
        unknown = [name for name in changes if name not in self._fields]
        if unknown:
            raise ValueError(f"Got unexpected field names: {unknown!r}")
        return type(self)(**{**self._asdict(), **changes})

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))
