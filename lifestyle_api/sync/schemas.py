"""Sync shapes: the query (`since`, `limit`) and a page of changes.

In the OpenAPI document a change is `Change`: a `oneOf` of one schema per kind
(`GoalChange`, `MetricChange`, …) with a discriminator on `kind`, each with `data` as that
kind's read schema (`null` for a delete), so generated clients get typed changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import ResponseSchema, StrictSchema
from ..kinds import KINDS
from .service import DEFAULT_LIMIT, MAX_LIMIT

MAX_TOKEN_LENGTH = 2048
CHANGE = "Change"
OPERATION = "SyncOperation"
OPERATIONS = ("upsert", "delete")


class SyncArgs(StrictSchema):
    since = ma.fields.String(
        validate=validate.Length(min=1, max=MAX_TOKEN_LENGTH),
        metadata={
            "description": "`next` of the previous page; opaque. Without it the feed starts "
            "at the beginning: every live item once, as upserts."
        },
    )
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Changes per page, 1–{MAX_LIMIT}."},
    )


class SyncPageSchema(ResponseSchema):
    # Each item is a `Change` (`document_changes` says so in the document).
    changes = ma.fields.List(
        ma.fields.Raw(),
        metadata={"description": "Oldest first; an item at most once, in its latest state."},
    )
    next = ma.fields.String(
        metadata={
            "description": "Pass as `since` for the next page; store it after applying the "
            "page, and resume from it after a crash."
        },
    )
    has_more = ma.fields.Boolean(
        data_key="hasMore",
        metadata={
            "description": "`false`: nothing more has settled yet (the last few seconds are "
            "held back); poll again later from `next`."
        },
    )


def change_component_name(kind_name: str) -> str:
    return f"{kind_name[0].upper()}{kind_name[1:]}Change"


def document_changes(spec, resolve: Callable[[type[ma.Schema]], dict[str, Any]]) -> None:
    """Add `Change`, its per-kind schemas and `SyncOperation` to the document's components,
    and `SyncPage` with its changes as `Change`; `resolve(schema)` gives a schema's `$ref`
    (registering it when needed)."""
    spec.components.schema(
        OPERATION,
        component={
            "type": "string",
            "enum": list(OPERATIONS),
            "description": "`upsert`: `data` is the item now. `delete`: it is gone.",
        },
    )
    mapping = {}
    for kind in KINDS.values():
        name = change_component_name(kind.name)
        spec.components.schema(name, component=_change_component(kind.name, resolve(kind.schema)))
        mapping[kind.name] = f"#/components/schemas/{name}"
    spec.components.schema(
        CHANGE,
        component={
            "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "kind", "mapping": mapping},
        },
    )
    # The items are `Change` itself, not `allOf: [Change]` (all a field's metadata could
    # say): generators read an `allOf` as a base schema and drop its discriminator, `kind`.
    page = resolve(SyncPageSchema)["$ref"].rsplit("/", 1)[-1]
    spec.components.schemas[page]["properties"]["changes"]["items"] = {
        "$ref": f"#/components/schemas/{CHANGE}"
    }


def _change_component(kind_name: str, data_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["kind", "id", "op", "version", "changedAt", "data"],
        "properties": {
            "kind": {"type": "string", "enum": [kind_name]},
            "id": {
                "type": "string",
                "description": "The item's id: for a check-in `<goalId>/<date>`, for the "
                "profile the user id.",
            },
            "op": {"$ref": f"#/components/schemas/{OPERATION}"},
            "version": {
                "type": "integer",
                "minimum": 1,
                "description": "Apply an upsert when it is newer than the version held; "
                "deletes always apply.",
            },
            "changedAt": {"type": "string", "format": "date-time"},
            "data": {
                "allOf": [data_ref],
                "nullable": True,
                "description": "The item exactly as its `GET` answers it; `null` for a delete.",
            },
        },
        "additionalProperties": False,
    }
