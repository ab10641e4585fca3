"""The OpenAPI document describes the activity, meal and metric routes as they behave."""

from __future__ import annotations

import pytest


@pytest.fixture
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_every_logging_route_is_documented(spec):
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
        if path.startswith(("/activities", "/meals", "/metrics"))
    }
    assert operations == {
        ("GET", "/activities"),
        ("POST", "/activities"),
        ("GET", "/activities/{activity_id}"),
        ("PATCH", "/activities/{activity_id}"),
        ("DELETE", "/activities/{activity_id}"),
        ("GET", "/meals"),
        ("POST", "/meals"),
        ("GET", "/meals/{meal_id}"),
        ("PATCH", "/meals/{meal_id}"),
        ("DELETE", "/meals/{meal_id}"),
        ("GET", "/metrics"),
        ("POST", "/metrics"),
        ("POST", "/metrics/batch"),
        ("GET", "/metrics/{metric_id}"),
        ("DELETE", "/metrics/{metric_id}"),
    }


def test_read_only_fields_are_only_in_the_answers(spec):
    schemas = spec["components"]["schemas"]
    assert "totals" in schemas["Meal"]["required"]
    assert "totals" not in schemas["MealCreate"]["properties"]
    for schema, field in [("Activity", "activityId"), ("Meal", "mealId"), ("Metric", "metricId")]:
        assert {field, "createdAt"} <= set(schemas[schema]["required"])
        assert not {field, "createdAt"} & set(schemas[f"{schema}Create"]["properties"])


def test_ranges_are_documented_as_inclusive_instants(spec):
    for path in ("/activities", "/meals", "/metrics"):
        parameters = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        for name in ("from", "to"):
            assert parameters[name]["schema"]["format"] == "date-time"
            assert "Inclusive" in parameters[name]["description"]
    metric_params = {p["name"]: p for p in spec["paths"]["/metrics"]["get"]["parameters"]}
    assert metric_params["type"]["required"] is True


def test_metric_post_documents_created_and_duplicate(spec):
    responses = spec["paths"]["/metrics"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert "Location" in responses["201"]["headers"]


def test_batch_items_refer_to_the_metric_schema(spec):
    schemas = spec["components"]["schemas"]
    items = schemas["MetricBatch"]["properties"]["items"]
    assert (items["minItems"], items["maxItems"]) == (1, 100)
    (ref,) = items["items"]["allOf"]
    assert ref["$ref"].removeprefix("#/components/schemas/") in schemas
    status = schemas["BatchResult"]["properties"]["status"]
    assert status["allOf"] == [{"$ref": "#/components/schemas/MetricBatchItemStatus"}]
    assert schemas["MetricBatchItemStatus"]["enum"] == ["created", "duplicate", "invalid"]
