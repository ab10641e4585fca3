"""PynamoDB's attribute descriptors, with the same answers in fewer steps.

Every read or assignment of an item's attribute (`goal.title`, and every field a response
schema dumps) goes through `Attribute.__get__` or `__set__`, which ask a method whether the
object is a map class object and read the `attr_name` property twice: three calls before
the dictionary lookup, some seventy times in a request that creates a goal. `install()`
puts in their place functions that make the same tests in the same order inline (the map
test still asks the map, which may be a subclass's answer). Attribute classes with a
descriptor of their own (maps, versions, TTLs, the discriminator) keep it and reach these
through `super()`.

`tests/unit/test_item_codec.py` holds both against PynamoDB's for every attribute of every
item class and map, on items, on maps in use as values and on maps declared in a class.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import Attribute, MapAttribute

# PynamoDB's own, kept for the tests that compare the two.
PYNAMODB_GET = Attribute.__get__
PYNAMODB_SET = Attribute.__set__


def attribute_get(self: Attribute, instance: Any, owner: Any) -> Any:
    if isinstance(instance, MapAttribute) and not instance._is_attribute_container():
        # A map declared in a class: its attributes are copies held in its `__dict__`.
        name = self.attr_path[-1]
        return instance.__dict__.get(instance._dynamo_to_python_attrs.get(name, name)) or self
    if not instance:
        return self
    name = self.attr_path[-1]
    return instance.attribute_values.get(instance._dynamo_to_python_attrs.get(name, name))


def attribute_set(self: Attribute, instance: Any, value: Any) -> None:
    if not instance or (
        isinstance(instance, MapAttribute) and not instance._is_attribute_container()
    ):
        return
    name = self.attr_path[-1]
    instance.attribute_values[instance._dynamo_to_python_attrs.get(name, name)] = value


def install() -> None:
    Attribute.__get__ = attribute_get
    Attribute.__set__ = attribute_set
