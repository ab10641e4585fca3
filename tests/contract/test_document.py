"""The served OpenAPI document is written for client generators (API.md "Conventions"):
stable operationIds, separate request and response schemas with every always-sent field
required, nullability on the field itself, named enums, every status each operation can
answer (API Gateway's own shape included), servers, contact and license."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from lifestyle_api import create_app
from lifestyle_api.http.routes import PUBLIC, route_shape, routes_with

METHODS = ("get", "post", "put", "patch", "delete")
# The SDK's function names: changing one breaks every client generated from the document.
OPERATION_IDS = {
    ("GET", "/health"): "getHealth",
    ("POST", "/auth/register"): "register",
    ("POST", "/auth/confirm"): "confirmAccount",
    ("POST", "/auth/resend-code"): "resendConfirmationCode",
    ("POST", "/auth/login"): "login",
    ("POST", "/auth/refresh"): "refreshTokens",
    ("POST", "/auth/logout"): "logout",
    ("POST", "/auth/forgot-password"): "forgotPassword",
    ("POST", "/auth/reset-password"): "resetPassword",
    ("GET", "/me"): "getProfile",
    ("PATCH", "/me"): "updateProfile",
    ("DELETE", "/me"): "deleteAccount",
    ("GET", "/me/export"): "exportProfile",
    ("GET", "/goals"): "listGoals",
    ("POST", "/goals"): "createGoal",
    ("GET", "/goals/{goal_id}"): "getGoal",
    ("PATCH", "/goals/{goal_id}"): "updateGoal",
    ("DELETE", "/goals/{goal_id}"): "deleteGoal",
    ("GET", "/goals/{goal_id}/check-ins"): "listCheckIns",
    ("POST", "/goals/{goal_id}/check-ins"): "createCheckIn",
    ("GET", "/goals/{goal_id}/check-ins/{day}"): "getCheckIn",
    ("DELETE", "/goals/{goal_id}/check-ins/{day}"): "deleteCheckIn",
    ("GET", "/activities"): "listActivities",
    ("POST", "/activities"): "createActivity",
    ("GET", "/activities/{activity_id}"): "getActivity",
    ("PATCH", "/activities/{activity_id}"): "updateActivity",
    ("DELETE", "/activities/{activity_id}"): "deleteActivity",
    ("GET", "/meals"): "listMeals",
    ("POST", "/meals"): "createMeal",
    ("GET", "/meals/{meal_id}"): "getMeal",
    ("PATCH", "/meals/{meal_id}"): "updateMeal",
    ("DELETE", "/meals/{meal_id}"): "deleteMeal",
    ("GET", "/metrics"): "listMetrics",
    ("POST", "/metrics"): "createMetric",
    ("POST", "/metrics/batch"): "createMetricBatch",
    ("GET", "/metrics/{metric_id}"): "getMetric",
    ("DELETE", "/metrics/{metric_id}"): "deleteMetric",
    ("GET", "/summaries/daily"): "getDailySummary",
    ("GET", "/summaries/weekly"): "getWeeklySummary",
    ("POST", "/coach/insights"): "generateInsights",
    ("POST", "/coach/goal-suggestions"): "generateGoalSuggestions",
    ("GET", "/sync"): "listChanges",
    ("GET", "/me/devices"): "listDevices",
    ("POST", "/me/devices"): "registerDevice",
    ("GET", "/me/devices/{device_id}"): "getDevice",
    ("DELETE", "/me/devices/{device_id}"): "deleteDevice",
    ("GET", "/notifications"): "listNotifications",
    ("GET", "/notifications/{notification_id}"): "getNotification",
    ("POST", "/notifications/{notification_id}/read"): "markNotificationRead",
}
# Response fields the server sends only sometimes, and why.
SOMETIMES_SENT = {
    ("Error", "details"): "only where there is something per field",
    ("BatchResult", "metricId"): "not for an invalid item",
    ("BatchResult", "errors"): "only for an invalid item",
    ("SuggestedGoal", "description"): "a POST /goals body: only what the suggestion sets",
    ("SuggestedGoal", "schedule"): "habits only",
    ("SuggestedGoal", "target"): "targets only",
    ("SuggestedGoal", "reminder"): "the coach suggests no reminder",
}
# Each resource's read-only fields, which only its response schema may have (API.md: sending
# one is a 400).
READ_ONLY = {"createdAt", "updatedAt", "progress", "totals"}
RESOURCES = {
    "Goal": {"goalId"},
    "CheckIn": {"goalId"},
    "Activity": {"activityId"},
    "Meal": {"mealId"},
    "Metric": {"metricId"},
    "Profile": {"userId", "email"},
    "Device": {"deviceId"},
    "Notification": {"notificationId"},
}
# Fields a client sends that are never answered: a device's push token (only its last
# characters are, as `tokenSuffix`).
WRITE_ONLY = {("DeviceCreate", "token")}
GATEWAY_STATUSES = {"401", "404", "429"}


@pytest.fixture(scope="module")
def public_routes() -> frozenset[tuple[str, str]]:
    """`(METHOD, route shape)` of the routes whose views are declared `@public`."""
    return routes_with(create_app({"TABLE_NAME": "contract"}), PUBLIC)


def operations(document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def nodes(value: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON object in `value`, with its JSON pointer."""
    if isinstance(value, dict):
        yield pointer, value
        for key, child in value.items():
            yield from nodes(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, f"{pointer}/{index}")


def referenced(document, node: Any) -> set[str]:
    """Names of the schemas `node` refers to, directly or through other schemas."""
    found: set[str] = set()
    pending = [node]
    while pending:
        for _pointer, obj in nodes(pending.pop()):
            ref = obj.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    pending.append(document["components"]["schemas"][name])
    return found


def test_every_operation_has_its_stable_operation_id(document):
    found = {(verb, path): op.get("operationId") for verb, path, op in operations(document)}

    assert found == OPERATION_IDS
    for operation_id in found.values():
        assert re.fullmatch(r"[a-z][a-zA-Z]+", operation_id), operation_id


def test_every_operation_has_a_summary_a_description_and_a_tag(document):
    for verb, path, operation in operations(document):
        assert operation.get("summary", "").strip(), (verb, path)
        assert len(operation["summary"]) <= 40, (verb, path, operation["summary"])
        assert operation.get("description", "").strip(), (verb, path)
        assert operation.get("tags"), (verb, path)


def test_servers_contact_and_license_are_filled(document):
    assert document["openapi"] == "3.0.3"
    assert document["servers"]
    for server in document["servers"]:
        assert server["url"].startswith(("https://", "http://127.0.0.1"))
        assert server["description"]
    assert document["info"]["contact"]["name"]
    assert document["info"]["license"]["name"]
    assert document["info"]["description"]


def test_every_operation_lists_every_status_it_can_answer(document, public_routes):
    for verb, path, operation in operations(document):
        statuses = set(operation["responses"])
        assert {"429", "500", "503"} <= statuses, (verb, path)
        assert any(status.startswith("2") for status in statuses), (verb, path)
        if "{" in path:
            assert "404" in statuses, (verb, path)
        if (verb, route_shape(path)) not in public_routes:
            assert "401" in statuses, (verb, path)
            assert operation.get("security") is None, (verb, path)  # the document's bearer
        else:
            assert operation["security"] == [], (verb, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= statuses, (verb, path)
        if verb in {"PATCH", "DELETE"}:
            assert {"409", "412"} <= statuses, (verb, path)


def test_gateway_statuses_accept_both_shapes_and_the_others_the_envelope(document):
    responses = document["components"]["responses"]
    for verb, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                continue
            name = response["$ref"].rsplit("/", 1)[-1]
            schema = responses[name]["content"]["application/json"]["schema"]
            if status in GATEWAY_STATUSES:
                assert schema == {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Error"},
                        {"$ref": "#/components/schemas/GatewayError"},
                    ]
                }, (verb, path, status)
            else:
                assert schema == {"$ref": "#/components/schemas/Error"}, (verb, path, status)
    gateway = document["components"]["schemas"]["GatewayError"]
    assert gateway["required"] == ["message"]
    assert gateway["additionalProperties"] is False  # so the envelope is never both shapes


def test_response_schemas_require_every_field_the_server_always_sends(document):
    schemas = document["components"]["schemas"]
    sent = set()
    received = set()
    for _verb, _path, operation in operations(document):
        received |= referenced(document, operation.get("requestBody", {}))
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                sent |= referenced(document, response)
    sent |= referenced(document, document["components"]["responses"])

    response_only = {name for name in sent - received if "enum" not in schemas[name]}
    assert {*RESOURCES, "ExportPage", "MetricExport", "DailySummary"} <= response_only
    for name in sorted(response_only):
        schema = schemas[name]
        optional = set(schema.get("properties", {})) - set(schema.get("required", []))
        unexplained = {field for field in optional if (name, field) not in SOMETIMES_SENT}
        assert not unexplained, f"{name}: {sorted(unexplained)} are not required"


def test_requests_and_responses_have_their_own_schemas(document):
    schemas = document["components"]["schemas"]
    for resource, ids in RESOURCES.items():
        assert resource in schemas
        for suffix in ("Create", "Update"):
            name = f"{resource}{suffix}"
            body = schemas.get(name)
            if body is None:
                continue
            assert not (READ_ONLY | ids) & set(body["properties"]), name
            written = {field for field in body["properties"] if (name, field) not in WRITE_ONLY}
            assert written < set(schemas[resource]["properties"]), name
            assert "readOnly" not in str(body)
    for name in ("GoalCreate", "GoalUpdate", "CheckInCreate", "ActivityCreate", "MealCreate"):
        assert name in schemas
    for name in ("ActivityUpdate", "MealUpdate", "MetricCreate", "ProfileUpdate", "DeviceCreate"):
        assert name in schemas
    for _verb, path, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body and path.split("/")[1] in {*("goals", "activities", "meals", "metrics"), "me"}:
            assert body["schema"]["$ref"].rsplit("/", 1)[-1] not in RESOURCES, path


def test_nullability_is_on_the_field_itself(document):
    for pointer, node in nodes(document):
        assert "anyOf" not in node, pointer
        if node.get("nullable"):
            if "allOf" in node:
                (only,) = node["allOf"]
                assert set(only) == {"$ref"}, pointer
                assert "type" not in node, pointer
            else:
                assert "type" in node, pointer

    goal = document["components"]["schemas"]["Goal"]["properties"]
    assert goal["schedule"] == {
        "allOf": [{"$ref": "#/components/schemas/Schedule"}],
        "nullable": True,
    }
    metric = document["components"]["schemas"]["Metric"]["properties"]
    assert metric["source"]["allOf"] == [{"$ref": "#/components/schemas/Source"}]


def discriminator_values(schemas: dict[str, Any]) -> dict[str, list[str]]:
    """`{pointer: [value]}` of each variant's discriminating property: the one value that
    names the variant in its `oneOf` (an enum of one place, rightly inline)."""
    values = {}
    for schema in schemas.values():
        discriminator = schema.get("discriminator")
        if discriminator:
            for value, ref in discriminator["mapping"].items():
                variant = ref.rsplit("/", 1)[-1]
                values[f"#/schemas/{variant}/properties/{discriminator['propertyName']}"] = [value]
    return values


def test_enums_are_named_components(document):
    schemas = document["components"]["schemas"]
    named = {name for name, schema in schemas.items() if "enum" in schema}
    discriminating = discriminator_values(schemas)
    assert discriminating  # the change feed's `kind`
    inline = [
        pointer
        for pointer, node in nodes({"schemas": schemas, "paths": document["paths"]})
        if "enum" in node
        and not re.fullmatch(r"#/schemas/[A-Za-z]+", pointer)
        and "/headers/" not in pointer
        and discriminating.get(pointer) != node["enum"]
    ]
    assert inline == []

    def ref(node):
        return (node.get("allOf") or [node])[0]["$ref"].rsplit("/", 1)[-1]

    for schema in ("Goal", "GoalCreate", "GoalUpdate", "SuggestedGoal"):
        assert ref(schemas[schema]["properties"]["category"]) == "GoalCategory"
    parameters = {p["name"]: p for p in document["paths"]["/goals"]["get"]["parameters"]}
    assert ref(parameters["category"]["schema"]) == "GoalCategory"
    assert {
        "GoalCategory",
        "GoalType",
        "GoalStatus",
        "ActivityType",
        "Intensity",
        "MealType",
        "MetricType",
        "MetricUnit",
        "DevicePlatform",
        "NotificationKind",
        "SyncOperation",
    } <= named


def test_export_fields_are_typed(document):
    metric = document["components"]["schemas"]["MetricExport"]["properties"]
    assert metric["value"]["type"] == "number"
    assert metric["unit"]["allOf"] == [{"$ref": "#/components/schemas/MetricUnit"}]
    assert metric["type"] == {"$ref": "#/components/schemas/MetricType"}


@pytest.mark.parametrize("path", ["/coach/insights", "/coach/goal-suggestions"])
def test_the_coach_bodies_are_optional(document, path):
    assert document["paths"][path]["post"]["requestBody"]["required"] is False
