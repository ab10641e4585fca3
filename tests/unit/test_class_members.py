"""`db.base.class_members` stands in for `inspect.getmembers` in PynamoDB's class set-up: it
must give the same names and the same objects for every item class, map attribute and index
of the app, so that every class finds the attributes, keys and indexes it declares."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pynamodb.attributes
import pynamodb.indexes
import pynamodb.models
from pynamodb.attributes import Attribute, MapAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, Index

import lifestyle_api
from lifestyle_api.db.base import TableItem, class_members


def _is_attribute(value) -> bool:
    return isinstance(value, Attribute)


def _is_index(value) -> bool:
    return isinstance(value, Index)


def _subclasses(root: type) -> list[type]:
    found, pending = [], [root]
    while pending:
        subclasses = pending.pop().__subclasses__()
        found += subclasses
        pending += subclasses
    return [cls for cls in found if cls.__module__.startswith(("lifestyle_api", "tests"))]


def _every_model_module() -> None:
    for module in pkgutil.walk_packages(lifestyle_api.__path__, "lifestyle_api."):
        if module.name.endswith(("models", "idempotency")):
            importlib.import_module(module.name)


def _same(found: list[tuple[str, object]], expected: list[tuple[str, object]]) -> bool:
    return [name for name, _ in found] == [name for name, _ in expected] and all(
        mine is theirs for (_, mine), (_, theirs) in zip(found, expected, strict=True)
    )


def test_pynamodb_finds_class_members_with_class_members():
    assert pynamodb.attributes.getmembers is class_members
    assert pynamodb.indexes.getmembers is class_members
    assert pynamodb.models.getmembers is class_members


def test_every_item_class_map_and_index_gets_what_getmembers_gives():
    _every_model_module()
    classes = [TableItem, *_subclasses(TableItem), *_subclasses(MapAttribute)]
    classes += _subclasses(Index)

    assert len(_subclasses(TableItem)) >= 15
    assert any(issubclass(cls, MapAttribute) for cls in classes)
    for cls in classes:
        for predicate in (_is_attribute, _is_index):
            assert _same(class_members(cls, predicate), inspect.getmembers(cls, predicate)), cls


def test_the_nearest_definition_wins_and_a_shadowed_attribute_is_gone():
    class ByOwner(GlobalSecondaryIndex):
        class Meta:
            index_name = "ByOwner"
            projection = AllProjection()

        owner = UnicodeAttribute(hash_key=True)

    class Base(MapAttribute):
        name = UnicodeAttribute()
        note = UnicodeAttribute(null=True)

    class Derived(Base):
        name = UnicodeAttribute(attr_name="n")
        note = "no longer an attribute"
        by_owner = ByOwner()

    members = class_members(Derived, _is_attribute)

    assert [name for name, _ in members] == ["name"]
    assert members[0][1] is Derived.__dict__["name"]
    assert Derived.get_attributes() == {"name": Derived.__dict__["name"]}
    assert class_members(Derived, _is_index) == inspect.getmembers(Derived, _is_index)
    assert list(ByOwner.Meta.attributes) == ["owner"]
