"""`db.item_codec` builds and serializes items in place of PynamoDB's `_instantiate` and
`_container_serialize`: for every item class, on generated items and on malformed stored
ones, it must give what PynamoDB gives, value for value and error for error."""

from __future__ import annotations

import importlib
import pkgutil
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from importlib.metadata import version

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pynamodb.attributes import (
    Attribute,
    AttributeContainer,
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

import lifestyle_api
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import descriptors, item_codec
from lifestyle_api.db.attributes import DayAttribute, DaySetAttribute, ItemMap
from lifestyle_api.db.base import TableItem


def _item_classes() -> list[type[TableItem]]:
    for module in pkgutil.walk_packages(lifestyle_api.__path__, "lifestyle_api."):
        if module.name.endswith(("models", "idempotency", "tombstones", "account_tombstone")):
            importlib.import_module(module.name)
    found, pending = [], [TableItem]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return [cls for cls in found if cls.__module__.startswith("lifestyle_api")]


ITEM_CLASSES = _item_classes()
CONCRETE = [cls for cls in ITEM_CLASSES if cls._discriminator and cls.kind.get_discriminator(cls)]

text = st.text(max_size=12)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
numbers = st.integers(-(10**9), 10**9) | st.floats(-1e9, 1e9, allow_nan=False)


def _present(attribute) -> st.SearchStrategy:
    """Values an attribute can hold (an attribute left out is `None`)."""
    if isinstance(attribute, VersionAttribute):
        return st.integers(0, 10**6)
    if isinstance(attribute, TTLAttribute):
        return moments.map(lambda moment: moment.replace(microsecond=0))
    if isinstance(attribute, UTCDateTimeAttribute):
        return moments
    if isinstance(attribute, DayAttribute):
        return days
    if isinstance(attribute, DaySetAttribute):
        return st.lists(days, max_size=5).map(DaySet.of)
    if isinstance(attribute, UnicodeSetAttribute):
        return st.sets(text, max_size=3)
    if isinstance(attribute, BooleanAttribute):
        return st.booleans()
    if isinstance(attribute, NumberAttribute):
        return numbers
    if isinstance(attribute, JSONAttribute):
        return st.dictionaries(text, st.integers() | text, max_size=3)
    if isinstance(attribute, ListAttribute):
        element = attribute.element_type
        if element is not None and issubclass(element, MapAttribute):
            return st.lists(_map_of(element), max_size=3)
        return st.lists(numbers, max_size=3)
    if isinstance(attribute, MapAttribute):
        if type(attribute).get_attributes():
            return _map_of(type(attribute))
        return st.dictionaries(text, text, max_size=3).map(lambda pairs: MapAttribute(**pairs))
    if isinstance(attribute, UnicodeAttribute):
        return text
    raise AssertionError(f"no values for {type(attribute).__name__}: add them here")


def _map_of(map_class: type[MapAttribute]) -> st.SearchStrategy:
    fields = {name: _present(a) for name, a in map_class.get_attributes().items()}
    return st.fixed_dictionaries({}, optional=fields).map(lambda given: map_class(**given))


def items(cls: type[TableItem]) -> st.SearchStrategy:
    """Items of `cls` with any of their attributes set, required ones included."""
    fields = {
        name: _present(attribute)
        for name, attribute in cls.get_attributes().items()
        if not isinstance(attribute, DiscriminatorAttribute)
    }
    return st.fixed_dictionaries({}, optional=fields).map(lambda given: cls(**given))


def _outcome(make):
    """What `make()` gives: `("value", v)` or `("error", type, message)`."""
    try:
        return ("value", make())
    except Exception as error:  # the error itself is what is compared
        return ("error", type(error), str(error))


@contextmanager
def pynamodb_maps():
    """`ItemMap`s read and written by PynamoDB's own `MapAttribute` code for a while."""
    overrides = {name: vars(ItemMap)[name] for name in ("_instantiate", "serialize")}
    for name in overrides:
        delattr(ItemMap, name)
    try:
        yield
    finally:
        for name, override in overrides.items():
            setattr(ItemMap, name, override)


def pynamodb_serialize(item, null_check):
    with pynamodb_maps():
        return AttributeContainer._container_serialize(item, null_check=null_check)


def pynamodb_instantiate(cls, stored):
    with pynamodb_maps():
        return AttributeContainer._instantiate.__func__(cls, stored)


def _comparable(value):
    """An item or map as its class, its instance state and its values, maps (also in
    lists) compared by content, recursively."""
    if isinstance(value, list):
        return [_comparable(element) for element in value]
    if isinstance(value, dict):
        return {key: _comparable(held) for key, held in value.items()}
    if not isinstance(value, AttributeContainer):
        return value
    state = {name: _comparable(held) for name, held in vars(value).items()}
    return (type(value), state)


def _read(instantiate, cls, stored):
    return _comparable(instantiate(cls, stored))


def test_items_and_their_maps_use_the_codec():
    assert TableItem._instantiate.__func__.__code__.co_names.count("item_codec")
    assert ItemMap._instantiate.__func__.__code__.co_names.count("item_codec")
    maps = {type(a) for cls in CONCRETE for a in cls.get_attributes().values()}
    typed_maps = {kind for kind in maps if issubclass(kind, MapAttribute) and not kind.is_raw()}
    assert typed_maps
    assert all(issubclass(kind, ItemMap) for kind in typed_maps)
    assert len(CONCRETE) >= 14
    assert {cls.__name__ for cls in CONCRETE} >= {"GoalItem", "ProfileItem", "CheckInItem"}


@pytest.mark.parametrize("cls", CONCRETE, ids=lambda cls: cls.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_serialize_gives_what_pynamodb_gives(cls, data):
    item = data.draw(items(cls))
    for null_check in (True, False):
        mine = _outcome(partial(item_codec.serialize, item, null_check))
        theirs = _outcome(partial(pynamodb_serialize, item, null_check))
        assert mine == theirs
        if mine[0] == "error":
            assert mine[1] is theirs[1]


def _malformed(stored: dict, draw) -> dict:
    """The stored item with a few attributes dropped, `NULL`, or of another type."""
    stored = dict(stored)
    for name in draw(st.lists(st.sampled_from(sorted(stored)), max_size=3)) if stored else []:
        change = draw(st.sampled_from(["drop", "null", "number", "string", "bool", "kind"]))
        if change == "drop":
            stored.pop(name, None)
        elif change == "null":
            stored[name] = {"NULL": True}
        elif change == "number":
            stored[name] = {"N": "7"}
        elif change == "string":
            stored[name] = {"S": "x"}
        elif change == "bool":
            stored[name] = {"BOOL": True}
        else:
            stored["kind"] = {"S": draw(st.sampled_from(["no-such-kind", "goal", "profile"]))}
    return stored


@pytest.mark.parametrize("cls", CONCRETE, ids=lambda cls: cls.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_instantiate_gives_what_pynamodb_gives(cls, data):
    stored = pynamodb_serialize(data.draw(items(cls)), False)
    if data.draw(st.booleans()):
        stored = _malformed(stored, data.draw)
    for read_as in {TableItem, cls}:
        mine = _outcome(partial(_read, item_codec.instantiate, read_as, stored))
        theirs = _outcome(partial(_read, pynamodb_instantiate, read_as, stored))
        assert mine == theirs


def test_defaults_and_descriptors_are_applied_as_pynamodb_does():
    from lifestyle_api.goals.models import GoalItem
    from lifestyle_api.profile.models import DailyTargets, ProfileItem

    profile = TableItem.from_raw_data(
        {"PK": {"S": "USER#u"}, "SK": {"S": "PROFILE"}, "kind": {"S": "profile"}}
    )
    assert type(profile) is ProfileItem
    assert profile.kind is ProfileItem
    assert profile.timezone == "UTC"
    assert isinstance(profile.daily_targets, DailyTargets)  # a dict default, as its map
    assert profile.notifications is None

    goal = GoalItem.from_raw_data(
        {
            "PK": {"S": "USER#u"},
            "SK": {"S": "GOAL#1"},
            "kind": {"S": "goal"},
            "version": {"N": "3"},
            "startDate": {"S": "2026-11-30"},
            "description": {"NULL": True},
            "schedule": {"M": {"frequency": {"S": "daily"}}},
        }
    )
    assert goal.version == 3
    assert isinstance(goal.version, int)
    assert goal.start_date == date(2026, 11, 30)
    assert goal.description is None
    assert goal.schedule.frequency == "daily"


def test_a_class_with_its_own_constructor_is_built_by_pynamodb():
    class Constructed(TableItem):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.constructed = True

    item = TableItem.from_raw_data({"PK": {"S": "USER#u"}, "SK": {"S": "X"}})
    assert type(item) is TableItem
    assert not item_codec.plan(TableItem).built_by_pynamodb
    built = Constructed.from_raw_data({"PK": {"S": "USER#u"}, "SK": {"S": "X"}})
    assert item_codec.plan(Constructed).built_by_pynamodb
    assert built.constructed
    assert built.sk == "X"


def _containers(value):
    """The item and every map in use as a value inside it, nested ones too."""
    if isinstance(value, list):
        for element in value:
            yield from _containers(element)
    elif isinstance(value, AttributeContainer):
        yield value
        for held in value.attribute_values.values():
            yield from _containers(held)


@pytest.mark.parametrize("cls", CONCRETE, ids=lambda cls: cls.__name__)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_descriptors_answer_as_pynamodb_does(cls, data):
    item = data.draw(items(cls))
    for container in _containers(item):
        owner = type(container)
        for attribute in owner.get_attributes().values():
            for instance in (container, None):
                mine = descriptors.attribute_get(attribute, instance, owner)
                theirs = descriptors.PYNAMODB_GET(attribute, instance, owner)
                assert mine is theirs
            mine_state = dict(container.attribute_values)
            descriptors.attribute_set(attribute, container, "set")
            mine_state, container.attribute_values = container.attribute_values, mine_state
            descriptors.PYNAMODB_SET(attribute, container, "set")
            theirs_state = container.attribute_values
            assert mine_state == theirs_state


def test_the_descriptors_of_a_declared_map_answer_as_pynamodb_does():
    for cls in CONCRETE:
        for declared in cls.get_attributes().values():
            if not isinstance(declared, ItemMap):
                continue
            assert not declared._is_attribute_container()
            for attribute in type(declared).get_attributes().values():
                mine = descriptors.attribute_get(attribute, declared, type(declared))
                theirs = descriptors.PYNAMODB_GET(attribute, declared, type(declared))
                assert mine is theirs
                assert mine is not attribute  # the declared map's own copy, with its path
                before = dict(vars(declared))
                descriptors.attribute_set(attribute, declared, "ignored")
                assert vars(declared) == before


def test_pynamodb_attributes_use_the_descriptors():
    assert Attribute.__get__ is descriptors.attribute_get
    assert Attribute.__set__ is descriptors.attribute_set


def test_the_installed_pynamodb_is_the_one_the_codec_and_descriptors_mirror():
    assert version("pynamodb") == item_codec.MIRRORED_PYNAMODB_VERSION, (
        f"pynamodb is now {version('pynamodb')}: re-read `_instantiate`, "
        "`_container_deserialize`, `_container_serialize`, `MapAttribute.__init__` and "
        "`Attribute.__get__`/`__set__`, adapt db/item_codec.py and db/descriptors.py, then "
        "update MIRRORED_PYNAMODB_VERSION"
    )
