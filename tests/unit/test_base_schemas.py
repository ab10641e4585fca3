"""The base schemas: what a response schema says about its fields in the OpenAPI document,
and the page and patch schemas built from a feature's own."""

from __future__ import annotations

import marshmallow as ma
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from lifestyle_api.base_schemas import ResponseSchema, StrictSchema, page_schema, patch_schema
from lifestyle_api.fields import Text


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
