"""Health metrics through Flask's test client: units in and out, ranges, source
deduplication, the batch route, lists, ownership 404s and DynamoDB requests per route."""

from __future__ import annotations

import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.metrics import service
from lifestyle_api.metrics.models import MetricItem, SourceMarkerItem
from tests.support.logging_data import set_profile, stored, walk_pages

ALICE = "alice-sub"
WEIGHT = {"type": "weight", "value": 72.5, "unit": "kg", "recordedAt": "2026-11-26T07:00:00+01:00"}


def record(client, **fields):
    response = client.post("/metrics", json={**WEIGHT, **fields})
    assert response.status_code == 201, response.json
    return response.json


def source(external_id: str, name: str = "apple-health") -> dict:
    return {"name": name, "externalId": external_id}


def test_metric_lifecycle(alice):
    created = alice.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert created.status_code == 201
    metric = created.json
    assert created.headers["Location"] == f"/metrics/{metric['metricId']}"
    assert created.headers["ETag"] == '"1"'
    assert metric == {
        "metricId": metric["metricId"],
        "type": "weight",
        "value": 72.5,
        "unit": "kg",
        "recordedAt": "2026-11-26T06:00:00Z",
        "source": {"name": "apple-health", "externalId": "w-1"},
        "createdAt": metric["createdAt"],
    }
    url = f"/metrics/{metric['metricId']}"
    fetched = alice.get(url)
    assert fetched.json == metric
    assert fetched.headers["ETag"] == '"1"'
    assert alice.get("/metrics?type=weight").json == {"items": [metric], "nextCursor": None}

    assert alice.delete(url).status_code == 204
    assert alice.get(url).status_code == 404
    assert alice.delete(url).status_code == 404
    # The marker went with it; the tombstone tells synced devices of the delete.
    assert [item.sk for item in TableItem.query(user_pk(ALICE))] == [
        f"TOMBSTONE#METRIC#{metric['metricId']}"
    ]


def test_there_is_no_patch(alice):
    metric = record(alice)
    assert alice.patch(f"/metrics/{metric['metricId']}", json={"value": 70}).status_code == 405


# (type, value sent, unit sent, canonical stored, answer in metric, answer in imperial)
UNIT_CASES = [
    ("weight", 160, "lb", 72.5747792, (72.57, "kg"), (160, "lb")),
    ("weight", 80, "kg", 80, (80, "kg"), (176.37, "lb")),
    ("bodyFat", 18.555, "percent", 18.555, (18.56, "percent"), (18.56, "percent")),
    ("steps", 8000, "count", 8000, (8000, "count"), (8000, "count")),
    ("sleep", 7.5, "h", 450, (450, "min"), (450, "min")),
    ("sleep", 425, "min", 425, (425, "min"), (425, "min")),
    ("heartRate", 72, "bpm", 72, (72, "bpm"), (72, "bpm")),
    ("restingHeartRate", 54, "bpm", 54, (54, "bpm"), (54, "bpm")),
    ("water", 250, "ml", 250, (250, "ml"), (8.45, "fl_oz")),
    ("water", 1.5, "l", 1500, (1500, "ml"), (50.72, "fl_oz")),
    ("water", 16, "fl_oz", 473.176, (473.18, "ml"), (16, "fl_oz")),
]


@pytest.mark.parametrize(
    ("metric_type", "value", "unit", "canonical", "in_metric", "in_imperial"), UNIT_CASES
)
def test_stored_canonical_and_answered_in_the_unit_system(
    make_client, metric_type, value, unit, canonical, in_metric, in_imperial
):
    for sub, unit_system, expected in (
        ("metric-sub", "metric", in_metric),
        ("imperial-sub", "imperial", in_imperial),
    ):
        set_profile(sub, unit_system=unit_system)
        client = make_client(sub)
        body = {"type": metric_type, "value": value, "unit": unit}
        created = client.post("/metrics", json={**body, "recordedAt": "2026-11-26T07:00:00Z"})
        assert created.status_code == 201, created.json
        assert (created.json["value"], created.json["unit"]) == expected
        (item,) = stored(sub, MetricItem)
        assert float(item.value) == pytest.approx(canonical)
        assert (client.get(f"/metrics/{item.metric_id}").json["value"]) == expected[0]
        listed = client.get("/metrics", query_string={"type": metric_type}).json["items"]
        assert [(m["value"], m["unit"]) for m in listed] == [expected]


def test_answers_follow_the_current_unit_system(alice):
    metric = record(alice, value=80)
    url = f"/metrics/{metric['metricId']}"
    set_profile(ALICE, unit_system="imperial")
    assert (alice.get(url).json["value"], alice.get(url).json["unit"]) == (176.37, "lb")
    set_profile(ALICE, unit_system="metric")
    assert (alice.get(url).json["value"], alice.get(url).json["unit"]) == (80, "kg")


@pytest.mark.parametrize(
    ("metric_type", "unit"),
    [
        ("weight", "ml"),
        ("weight", "stone"),
        ("bodyFat", "kg"),
        ("steps", "min"),
        ("sleep", "bpm"),
        ("sleep", "hours"),
        ("heartRate", "percent"),
        ("restingHeartRate", "count"),
        ("water", "kg"),
        ("water", "oz"),
    ],
)
def test_a_unit_the_type_does_not_accept_is_400(alice, metric_type, unit):
    response = alice.post(
        "/metrics",
        json={"type": metric_type, "value": 1, "unit": unit, "recordedAt": WEIGHT["recordedAt"]},
    )
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert list(response.json["details"]) == ["unit"]
    assert response.json["details"]["unit"][0].startswith(f"{metric_type} is measured in ")
    assert list(TableItem.query(user_pk(ALICE))) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WEIGHT, "value": 0}, "value"),
        ({**WEIGHT, "value": -3}, "value"),
        ({**WEIGHT, "value": 900}, "value"),
        ({**WEIGHT, "value": "heavy"}, "value"),
        ({**WEIGHT, "value": None}, "value"),
        ({**WEIGHT, "type": "bodyFat", "value": 101, "unit": "percent"}, "value"),
        ({**WEIGHT, "type": "bodyFat", "value": 0, "unit": "percent"}, "value"),
        ({**WEIGHT, "type": "heartRate", "value": 0, "unit": "bpm"}, "value"),
        ({**WEIGHT, "type": "restingHeartRate", "value": -1, "unit": "bpm"}, "value"),
        ({**WEIGHT, "type": "steps", "value": -1, "unit": "count"}, "value"),
        ({**WEIGHT, "type": "steps", "value": 10.5, "unit": "count"}, "value"),
        ({**WEIGHT, "type": "sleep", "value": 25, "unit": "h"}, "value"),
        ({**WEIGHT, "type": "water", "value": 30, "unit": "l"}, "value"),
        ({**WEIGHT, "type": "mood"}, "type"),
        ({k: v for k, v in WEIGHT.items() if k != "unit"}, "unit"),
        ({k: v for k, v in WEIGHT.items() if k != "type"}, "type"),
        ({k: v for k, v in WEIGHT.items() if k != "recordedAt"}, "recordedAt"),
        ({**WEIGHT, "recordedAt": "2026-11-26T07:00:00"}, "recordedAt"),
        ({**WEIGHT, "recordedAt": "2026-11-26"}, "recordedAt"),
        ({**WEIGHT, "source": {"externalId": "x"}}, "source"),
        ({**WEIGHT, "source": {"name": "", "externalId": "x"}}, "source"),
        ({**WEIGHT, "source": {"name": "a", "externalId": "x", "extra": 1}}, "source"),
        ({**WEIGHT, "metricId": "01J00000000000000000000000"}, "metricId"),
        ({**WEIGHT, "createdAt": "2026-11-26T07:00:00Z"}, "createdAt"),
        ({**WEIGHT, "day": "2026-11-26"}, "day"),
    ],
)
def test_invalid_metric_is_rejected_and_stores_nothing(alice, body, field):
    response = alice.post("/metrics", json=body)
    assert response.status_code == 400
    assert field in response.json["details"]
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_boundary_values_are_accepted(alice):
    assert record(alice, type="bodyFat", value=100, unit="percent")["value"] == 100
    assert record(alice, type="steps", value=0, unit="count")["value"] == 0
    assert record(alice, type="water", value=0, unit="ml")["value"] == 0
    assert record(alice, type="sleep", value=24, unit="h")["value"] == 1440


def test_sleep_belongs_to_the_day_it_ends(alice):
    set_profile(ALICE, timezone="Europe/London")
    # Asleep 23:10 on the 25th, awake 06:40 on the 26th: recordedAt is the wake time.
    metric = record(alice, type="sleep", value=450, unit="min", recordedAt="2026-11-26T06:40:00Z")
    (item,) = stored(ALICE, MetricItem)
    assert item.day.isoformat() == "2026-11-26"
    assert item.lsi2_sk == f"DAY#2026-11-26#METRIC#sleep#{metric['metricId']}"
    assert item.lsi1_sk == f"METRIC#sleep#2026-11-26T06:40:00.000Z#{metric['metricId']}"


def test_same_source_is_stored_once_and_answers_the_existing_metric(alice):
    first = alice.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert first.status_code == 201
    again = alice.post("/metrics", json={**WEIGHT, "value": 99, "source": source("w-1")})
    assert again.status_code == 200
    assert again.json == first.json
    assert again.headers["ETag"] == '"1"'
    assert "Location" not in again.headers
    assert [m.metric_id for m in stored(ALICE, MetricItem)] == [first.json["metricId"]]

    # Another source name or external id is another value.
    assert alice.post("/metrics", json={**WEIGHT, "source": source("w-2")}).status_code == 201
    other = alice.post("/metrics", json={**WEIGHT, "source": source("w-1", name="fitbit")})
    assert other.status_code == 201
    assert len(stored(ALICE, MetricItem)) == 3


def test_deleting_a_metric_frees_its_source_id(alice):
    first = record(alice, source=source("w-1"))
    assert alice.delete(f"/metrics/{first['metricId']}").status_code == 204
    assert stored(ALICE, SourceMarkerItem) == []
    second = alice.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert second.status_code == 201
    assert second.json["metricId"] != first["metricId"]


def test_source_key_parts_cannot_collide(alice):
    a = record(alice, source={"name": "a#b", "externalId": "c"})
    b = record(alice, source={"name": "a", "externalId": "b#c"})
    c = record(alice, source={"name": "a%23b", "externalId": "c"})
    assert len({a["metricId"], b["metricId"], c["metricId"]}) == 3
    markers = {m.sk for m in stored(ALICE, SourceMarkerItem)}
    assert markers == {"SOURCE#a%23b#c", "SOURCE#a#b%23c", "SOURCE#a%2523b#c"}


def test_without_external_id_nothing_is_deduplicated(alice):
    one = record(alice, source={"name": "manual"})
    two = record(alice, source={"name": "manual", "externalId": None})
    assert one["source"] == {"name": "manual", "externalId": None}
    assert one["metricId"] != two["metricId"]
    assert stored(ALICE, SourceMarkerItem) == []


def test_sources_are_per_user(alice, bob):
    mine = record(alice, source=source("w-1"))
    theirs = bob.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert theirs.status_code == 201
    assert theirs.json["metricId"] != mine["metricId"]


def test_a_source_stored_by_a_concurrent_request_is_a_duplicate(alice, monkeypatch):
    existing = record(alice, source=source("w-1"))
    read = service._read_profile_and_markers
    calls = []

    def read_before_the_other_request_wrote(sub, keys):
        calls.append(keys)
        profile, markers = read(sub, keys)
        return (profile, {}) if len(calls) == 1 else (profile, markers)

    monkeypatch.setattr(service, "_read_profile_and_markers", read_before_the_other_request_wrote)
    response = alice.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert response.status_code == 200
    assert response.json == existing
    assert len(calls) == 2  # the marker's condition failed, then it was read
    assert [m.metric_id for m in stored(ALICE, MetricItem)] == [existing["metricId"]]


def batch_item(external_id: str | None = None, **fields) -> dict:
    item = {**WEIGHT, **fields}
    if external_id is not None:
        item["source"] = source(external_id)
    return item


def test_batch_mixes_created_invalid_and_duplicate(alice):
    already = record(alice, source=source("w-0"))
    items = [
        batch_item("w-1"),  # 0 created
        batch_item("w-2", value=-1),  # 1 invalid
        batch_item("w-0"),  # 2 duplicate of the stored one
        batch_item(None, type="steps", value=9000, unit="count"),  # 3 created, no source
        batch_item("w-1", value=80),  # 4 duplicate of item 0
        "not an object",  # 5 invalid
        batch_item("w-3", unit="stone"),  # 6 invalid
        batch_item("w-3", type="water", value=2, unit="l"),  # 7 created: 6 was invalid
        batch_item("w-4", recordedAt="2026-11-26T07:00:00"),  # 8 invalid
        batch_item("w-5", mood="great"),  # 9 invalid
    ]
    response = alice.post("/metrics/batch", json={"items": items})
    assert response.status_code == 200
    results = response.json["results"]
    assert [(r["index"], r["status"]) for r in results] == [
        (0, "created"),
        (1, "invalid"),
        (2, "duplicate"),
        (3, "created"),
        (4, "duplicate"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "created"),
        (8, "invalid"),
        (9, "invalid"),
    ]
    assert results[2]["metricId"] == already["metricId"]
    assert results[4]["metricId"] == results[0]["metricId"]
    assert results[1]["errors"] == {"value": ["weight must be greater than 0 and at most 700 kg."]}
    assert results[5]["errors"] == {"_schema": ["Invalid input type."]}
    assert list(results[6]["errors"]) == ["unit"]
    assert list(results[8]["errors"]) == ["recordedAt"]
    assert results[9]["errors"] == {"mood": ["Unknown field."]}
    for result in results:
        if result["status"] == "invalid":
            assert "metricId" not in result
        else:
            assert "errors" not in result

    stored_ids = {m.metric_id for m in stored(ALICE, MetricItem)}
    created = {results[i]["metricId"] for i in (0, 3, 7)}
    assert stored_ids == created | {already["metricId"]}
    water = alice.get(f"/metrics/{results[7]['metricId']}").json
    assert (water["type"], water["value"], water["unit"]) == ("water", 2000, "ml")

    # The same batch again stores nothing new for the items that carry a source id.
    again = alice.post("/metrics/batch", json={"items": items}).json["results"]
    assert [r["status"] for r in again] == [
        "duplicate",
        "invalid",
        "duplicate",
        "created",  # no source id: nothing to recognise it by
        "duplicate",
        "invalid",
        "invalid",
        "duplicate",
        "invalid",
        "invalid",
    ]
    assert again[0]["metricId"] == results[0]["metricId"]
    assert again[4]["metricId"] == results[0]["metricId"]
    assert again[7]["metricId"] == results[7]["metricId"]
    assert {m.metric_id for m in stored(ALICE, MetricItem)} == stored_ids | {again[3]["metricId"]}


def test_a_full_batch_is_written_in_transactions_of_at_most_100_actions(alice, aws_calls):
    items = [batch_item(f"w-{i}", value=60 + i / 10) for i in range(100)]
    response = alice.post("/metrics/batch", json={"items": items})
    assert [r["status"] for r in response.json["results"]] == ["created"] * 100
    # Profile and 100 markers (two reads of at most 100 keys), 100 metrics + 100 markers.
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 2, "TransactWriteItems": 2}
    assert len(stored(ALICE, MetricItem)) == 100
    assert len(stored(ALICE, SourceMarkerItem)) == 100

    aws_calls.reset()
    again = alice.post("/metrics/batch", json={"items": items}).json["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 100
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 2}
    assert len(stored(ALICE, MetricItem)) == 100


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": [WEIGHT] * 101},
        {"items": WEIGHT},
        {"items": [WEIGHT], "extra": 1},
    ],
)
def test_bad_batch_body_is_400(alice, body):
    response = alice.post("/metrics/batch", json=body)
    assert response.status_code == 400
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_all_invalid_batch_stores_nothing(alice, aws_calls):
    response = alice.post("/metrics/batch", json={"items": [{"type": "weight"}, 7]})
    assert [r["status"] for r in response.json["results"]] == ["invalid", "invalid"]
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_list_one_type_newest_first_within_an_inclusive_range(alice):
    weights = [
        record(alice, value=70 + day, recordedAt=f"2026-11-{day:02d}T07:00:00Z")["metricId"]
        for day in (20, 22, 24)
    ]
    record(alice, type="water", value=500, unit="ml", recordedAt="2026-11-22T08:00:00Z")
    record(alice, type="heartRate", value=60, unit="bpm", recordedAt="2026-11-22T08:00:00Z")
    record(alice, type="restingHeartRate", value=50, unit="bpm")

    def ids(**query):
        response = alice.get("/metrics", query_string=query)
        assert response.status_code == 200, response.json
        return [m["metricId"] for m in response.json["items"]]

    assert ids(type="weight") == list(reversed(weights))
    assert ids(type="weight", **{"from": "2026-11-22T07:00:00Z"}) == [weights[2], weights[1]]
    assert ids(type="weight", to="2026-11-22T08:00:00+01:00") == [weights[1], weights[0]]
    assert len(ids(type="water")) == 1
    assert len(ids(type="heartRate")) == 1
    assert len(ids(type="restingHeartRate")) == 1
    assert ids(type="steps") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "type"),
        ({"type": "mood"}, "type"),
        ({"type": "weight", "from": "2026-11-22T07:00:00"}, "from"),
        ({"type": "weight", "from": "2026-11-23T00:00:00Z", "to": "2026-11-22T00:00:00Z"}, "to"),
    ],
)
def test_bad_list_filters_are_400(alice, query, field):
    response = alice.get("/metrics", query_string=query)
    assert response.status_code == 400
    assert field in response.json["details"]


def test_pagination_walks_every_metric_once(alice):
    created = [
        record(
            alice,
            type="steps",
            value=i * 100,
            unit="count",
            recordedAt=f"2026-11-{i:02d}T21:00:00Z",
        )["metricId"]
        for i in range(1, 24)
    ]
    record(alice, recordedAt="2026-11-10T07:00:00Z")
    items, pages = walk_pages(alice, "/metrics", type="steps", limit=10)
    assert pages == 3
    assert [m["metricId"] for m in items] == list(reversed(created))


def test_if_match_on_delete(alice):
    url = f"/metrics/{record(alice)['metricId']}"
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 412
    assert alice.get(url).status_code == 200
    assert alice.delete(url, headers={"If-Match": '"1"'}).status_code == 204


def test_another_user_gets_404_and_never_sees_the_metric(alice, bob):
    metric = record(alice, source=source("w-1"))
    url = f"/metrics/{metric['metricId']}"
    assert bob.get(url).status_code == 404
    assert bob.delete(url).status_code == 404
    assert bob.get("/metrics?type=weight").json["items"] == []
    assert alice.get(url).json == metric
    assert len(stored(ALICE, SourceMarkerItem)) == 1


def test_dynamodb_requests_per_route(alice, aws_calls):
    plain = record(alice)
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}  # profile, metric
    aws_calls.reset()
    sourced = record(alice, source=source("w-1"))
    # Profile + marker read together, metric + marker written together.
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "TransactWriteItems": 1}
    aws_calls.reset()
    alice.post("/metrics", json={**WEIGHT, "source": source("w-1")})
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "GetItem": 1}  # the existing one
    aws_calls.reset()
    alice.get(f"/metrics/{plain['metricId']}")
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1}  # metric + profile
    aws_calls.reset()
    alice.get("/metrics?type=weight")
    assert dict(aws_calls.dynamodb) == {"Query": 1, "GetItem": 1}  # the unit needs the profile
    aws_calls.reset()
    alice.get("/metrics?type=steps")
    assert dict(aws_calls.dynamodb) == {"Query": 1}
    aws_calls.reset()
    alice.post("/metrics/batch", json={"items": [batch_item("w-2"), batch_item(None)]})
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "TransactWriteItems": 1}
    aws_calls.reset()
    alice.delete(f"/metrics/{plain['metricId']}")
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "TransactWriteItems": 1}
    aws_calls.reset()
    alice.delete(f"/metrics/{sourced['metricId']}")
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "TransactWriteItems": 1}


@pytest.mark.parametrize("with_source", [True, False])
def test_a_metric_deleted_by_a_concurrent_request_is_404(alice, monkeypatch, with_source):
    metric = record(alice, **({"source": source("w-1")} if with_source else {}))
    read = MetricItem.get

    def read_then_lose_the_race(*key, **kwargs):
        item = read(*key, **kwargs)
        MetricItem(*key).delete(add_version_condition=False)
        return item

    monkeypatch.setattr(MetricItem, "get", read_then_lose_the_race)
    response = alice.delete(f"/metrics/{metric['metricId']}")
    assert response.status_code == 404
    assert stored(ALICE, MetricItem) == []
