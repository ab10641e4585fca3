"""The base schemas: what a response schema says about its fields in the OpenAPI document,
the page and patch schemas built from a feature's own, and the hooks every schema class
finds (the same as marshmallow's own lookup would)."""

from __future__ import annotations

import importlib
import pkgutil

import marshmallow as ma
import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow.schema import SchemaMeta

import lifestyle_api
from lifestyle_api.activities.schemas import ActivitySchema
from lifestyle_api.base_schemas import (
    BaseSchema,
    ResponseSchema,
    StrictSchema,
    page_schema,
    patch_schema,
    shared_instance,
)
from lifestyle_api.fields import Amount, Text
from lifestyle_api.goals.schemas import GoalSchema
from lifestyle_api.profile.schemas import ProfileSchema


class Thing(ResponseSchema):
    name = ma.fields.String()
    note = ma.fields.String(allow_none=True)


class ThingCreate(StrictSchema):
    name = Text(required=True)
    note = Text(load_default="none")


def component(schema) -> dict:
    spec = APISpec("t", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("Thing", schema=schema)
    return spec.to_dict()["components"]["schemas"]["Thing"]


def test_every_field_of_a_response_schema_is_required_and_only_allow_none_is_nullable():
    document = component(Thing)

    assert sorted(document["required"]) == ["name", "note"]
    assert document["properties"]["name"] == {"type": "string"}
    assert document["properties"]["note"]["type"] == ["string", "null"]


def test_a_response_schema_dumps_what_it_is_given():
    assert Thing().dump({"name": "a", "note": None}) == {"name": "a", "note": None}


def test_a_page_is_items_and_a_next_cursor_both_always_sent():
    document = component(page_schema(Thing, "ThingPage"))

    assert sorted(document["required"]) == ["items", "nextCursor"]
    assert page_schema(Thing, "ThingPage")().dump({"items": [{"name": "a", "note": None}]}) == {
        "items": [{"name": "a", "note": None}]
    }


def test_a_patch_takes_any_of_the_create_fields_and_defaults_none():
    patch = patch_schema(ThingCreate, "ThingPatch", "A partial update.")()

    assert patch.load({}) == {}
    assert patch.load({"note": "x"}) == {"note": "x"}
    assert "name" in patch.validate({"name": 3})
    assert patch.validate({"other": 1}) == {"other": ["Unknown field."]}


class Hooked(StrictSchema):
    value = ma.fields.Integer()

    @ma.pre_load
    def trim(self, data, **_kwargs):
        return data

    @ma.post_load(pass_original=True)
    def keep(self, data, original, **_kwargs):
        return data

    @ma.validates_schema
    def checked(self, data, **_kwargs):
        return None


class HookedAgain(Hooked):
    # A plain attribute shadows the inherited hook: it is no hook any more.
    trim = None

    @ma.post_load(pass_original=True)
    def keep(self, data, original, **_kwargs):
        return {**data, "kept": True}

    @ma.pre_dump
    def also(self, data, **_kwargs):
        return data


def _every_schema_class() -> list[type[ma.Schema]]:
    for module in pkgutil.walk_packages(lifestyle_api.__path__, "lifestyle_api."):
        if module.name.endswith(("schemas", "envelope")):
            importlib.import_module(module.name)
    found, pending = [], [BaseSchema]
    while pending:
        subclasses = pending.pop().__subclasses__()
        found += subclasses
        pending += subclasses
    return found


def _found(hooks: dict[str, list]) -> dict[str, list]:
    # Loading and dumping add an empty list for each tag looked up (a defaultdict).
    return {tag: found for tag, found in hooks.items() if found}


def test_every_schema_class_finds_the_hooks_marshmallows_own_lookup_finds():
    classes = _every_schema_class()

    assert len(classes) > 80
    for schema_class in classes:
        assert _found(schema_class._hooks) == _found(SchemaMeta.resolve_hooks(schema_class))
    assert any(schema_class._hooks for schema_class in classes)


def test_an_inherited_hook_is_found_and_a_shadowed_one_is_not():
    assert _found(HookedAgain._hooks) == _found(SchemaMeta.resolve_hooks(HookedAgain))
    assert _found(HookedAgain._hooks) == {
        "post_load": [("keep", False, {"pass_original": True})],
        "pre_dump": [("also", False, {})],
        "validates_schema": [
            ("checked", False, {"pass_original": False, "skip_on_field_errors": True})
        ],
    }
    assert HookedAgain().load({"value": 1}) == {"value": 1, "kept": True}


class Measured(StrictSchema):
    distance = Amount(100, allow_none=True)


def test_an_amount_is_a_json_number_from_0_to_its_maximum():
    assert Measured().load({"distance": 0}) == {"distance": 0.0}
    assert Measured().load({"distance": 100}) == {"distance": 100.0}
    assert Measured().load({"distance": None}) == {"distance": None}
    for refused in (-0.5, 100.5, "5", True):
        with pytest.raises(ma.ValidationError) as error:
            Measured().load({"distance": refused})
        assert list(error.value.messages) == ["distance"]


def test_an_amount_documents_its_range():
    spec = APISpec("t", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("Measured", schema=Measured)
    distance = spec.to_dict()["components"]["schemas"]["Measured"]["properties"]["distance"]
    assert distance["minimum"] == 0
    assert distance["maximum"] == 100


def _response_schemas(app) -> list[ma.Schema]:
    """Every schema a route's documented answers dump with."""
    found = []
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        methods = view_class.methods if view_class else ()
        handlers = [getattr(view_class, name.lower()) for name in methods] or [view]
        for handler in filter(None, handlers):
            responses = getattr(handler, "_apidoc", {}).get("response", {}).get("responses", {})
            for answers in responses.values():
                # An answer is a dict, or the name of a shared response ("CONFLICT").
                found += [a["schema"] for a in answers if isinstance(a, dict) and a.get("schema")]
    return found


def test_every_route_answering_with_a_schema_class_shares_its_one_instance(app):
    schemas = _response_schemas(app)
    instances_by_class: dict[type, set[int]] = {}
    for schema in schemas:
        instances_by_class.setdefault(type(schema), set()).add(id(schema))

    assert len(schemas) > 40
    assert all(len(ids) == 1 for ids in instances_by_class.values())
    for schema_class in (GoalSchema, ActivitySchema, ProfileSchema):
        assert instances_by_class[schema_class] == {id(shared_instance(schema_class))}
    assert shared_instance(GoalSchema).dump({"title": "Walk"})["title"] == "Walk"
