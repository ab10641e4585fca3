"""An item's attribute values to and from DynamoDB's wire shape: PynamoDB's own answer,
planned once per item class instead of worked out again for every item.

PynamoDB builds an item read from DynamoDB in two passes: its constructor sets the
discriminator and the defaults, then `_container_deserialize` starts over, sets them again
and assigns each stored attribute through its descriptor. Writing walks every attribute
through `getattr` and two `isinstance` tests. Every read and write of every request pays
for that; here each class's attributes are looked at once (`plan`), and an item is built or
serialized from that plan:

- `instantiate`: one pass: discriminator, defaults (`default`, never `default_for_new`,
  as for a stored item; not for an attribute that is stored, whose value replaces it),
  then each stored attribute (`{"NULL": true}` and absent ones left out). Values go
  straight into `attribute_values` unless the attribute class has a descriptor of its own
  (maps turn mappings into their class, versions cast to int, TTLs normalize), which is
  then used as PynamoDB would. A class with an `__init__` of its own is built by PynamoDB.
- `serialize`: the same dictionary, the same null checks and the same errors (a missing
  required attribute is `AttributeNullError` with its path) as `_container_serialize`.

`TableItem` uses both for items, `ItemMap` (`db.attributes`) for the maps inside them.

`tests/unit/test_item_codec.py` holds both against PynamoDB's for every item class, on
generated items and on malformed stored ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.attributes import (
    Attribute,
    AttributeContainer,
    ListAttribute,
    MapAttribute,
)
from pynamodb.constants import NULL
from pynamodb.exceptions import AttributeDeserializationError, AttributeNullError
from pynamodb.models import Model

from ..records import Record

Container = TypeVar("Container", bound=AttributeContainer)

# The PynamoDB whose `_instantiate`, `_container_deserialize`, `_container_serialize` and
# `MapAttribute.__init__` this mirrors (and `descriptors` its `Attribute.__get__`/`__set__`);
# a test fails on another, so that an upgrade re-reads them first.
MIRRORED_PYNAMODB_VERSION = "6.1.0"

# The classes whose descriptor only stores into or reads from `attribute_values`
# (`MapAttribute.__get__` only calls its parent's).
_PLAIN_SETTERS = (Attribute,)
_PLAIN_GETTERS = (Attribute, MapAttribute)


class Field(Record):
    """One attribute of an item class, as reading and writing it needs."""

    name: str
    stored_name: str
    attr_type: str
    serialize: Callable[..., Any]
    deserialize: Callable[[Any], Any]
    # The attribute itself when its class assigns (or reads) through a descriptor of its own.
    setter: Attribute | None
    getter: Attribute | None
    is_container: bool
    nullable: bool


class Plan(Record):
    """An item class's attributes, looked at once."""

    built_by_pynamodb: bool
    discriminator: str | None
    defaults: tuple[tuple[str, str, Any, Attribute | None], ...]
    fields: tuple[Field, ...]


_plans: dict[type, Plan] = {}


def plan(cls: type[AttributeContainer]) -> Plan:
    found = _plans.get(cls)
    if found is None:
        found = _plans[cls] = _plan(cls)
    return found


def _plan(cls: type[AttributeContainer]) -> Plan:
    attributes = cls.get_attributes()
    fields, defaults = [], []
    for name, attribute in attributes.items():
        kind = type(attribute)
        setter = attribute if _own_descriptor(kind, "__set__", _PLAIN_SETTERS) else None
        getter = attribute if _own_descriptor(kind, "__get__", _PLAIN_GETTERS) else None
        if attribute.default is not None:
            defaults.append((name, attribute.attr_name, attribute.default, setter))
        fields.append(
            Field(
                name,
                attribute.attr_name,
                attribute.attr_type,
                attribute.serialize,
                attribute.deserialize,
                setter,
                getter,
                isinstance(attribute, (ListAttribute, MapAttribute)),
                attribute.null,
            )
        )
    discriminator = cls._discriminator
    if discriminator and attributes[discriminator].get_discriminator(cls) is None:
        discriminator = None
    return Plan(
        cls.__init__ not in (Model.__init__, MapAttribute.__init__),
        discriminator,
        tuple(defaults),
        tuple(fields),
    )


def _own_descriptor(kind: type, method: str, plain: tuple[type, ...]) -> bool:
    """Whether an attribute class defines `method` below the classes in `plain`."""
    owner = next(klass for klass in kind.__mro__ if method in vars(klass))
    return owner not in plain


def instantiate(cls: type[Container], stored: dict[str, dict[str, Any]]) -> Container:
    """The item (or map) `stored` holds, as its own class (the discriminator's), like
    PynamoDB's `_instantiate`."""
    stored_cls = cls._get_discriminator_class(stored)
    if stored_cls and not issubclass(stored_cls, cls):
        raise ValueError(
            f"Cannot instantiate a {cls.__name__} from the returned class: {stored_cls.__name__}"
        )
    item_cls = stored_cls or cls
    item_plan = plan(item_cls)
    if item_plan.built_by_pynamodb:
        return AttributeContainer._instantiate.__func__(cls, stored)
    item = item_cls.__new__(item_cls)
    state = item.__dict__
    if isinstance(item, MapAttribute):
        state["attribute_kwargs"] = {}  # what its constructor leaves: a map in use as a value
    values = state["attribute_values"] = {}
    if item_plan.discriminator:
        values[item_plan.discriminator] = item_cls
    for name, stored_name, default, setter in item_plan.defaults:
        wire = stored.get(stored_name)
        if wire and NULL not in wire:
            continue  # the stored value replaces the default
        value = default() if callable(default) else default
        if value is not None:
            if setter is None:
                values[name] = value
            else:
                setter.__set__(item, value)
    # Unpacked rather than read by name: this loop runs for every attribute of every item.
    for name, stored_name, attr_type, _, deserialize, setter, _, _, _ in item_plan.fields:
        wire = stored.get(stored_name)
        if not wire or NULL in wire:
            continue
        if attr_type not in wire:
            raise AttributeDeserializationError(stored_name, attr_type)
        if setter is None:
            values[name] = deserialize(wire[attr_type])
        else:
            setter.__set__(item, deserialize(wire[attr_type]))
    return item


def serialize(item: AttributeContainer, null_check: bool = True) -> dict[str, dict[str, Any]]:
    """`{stored name: {type: value}}` of the item's (or map's) attributes, like PynamoDB's
    `_container_serialize`."""
    values = item.attribute_values
    serialized = {}
    fields = plan(type(item)).fields
    for name, stored_name, attr_type, to_wire, _, _, getter, is_container, nullable in fields:
        value = values.get(name) if getter is None else getter.__get__(item, type(item))
        if value is not None:
            try:
                if is_container:
                    if isinstance(value, MapAttribute) and not value.validate(
                        null_check=null_check
                    ):
                        raise ValueError(f"Attribute '{name}' is not correctly typed")
                    value = to_wire(value, null_check=null_check)
                else:
                    value = to_wire(value)
            except AttributeNullError as error:
                error.prepend_path(name)
                raise
        if value is None:
            if null_check and not nullable:
                raise AttributeNullError(name)
            continue
        serialized[stored_name] = {attr_type: value}
    return serialized
