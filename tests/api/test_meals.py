"""Meals through Flask's test client: lifecycle, item validation, server-computed totals,
lists by instant range, local date and meal type, ETags, ownership 404s and DynamoDB
requests per route."""

from __future__ import annotations

import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.meals.models import MealItem
from tests.support.logging_data import set_profile, stored, walk_pages

ALICE = "alice-sub"
OATS = {
    "name": "Oats",
    "quantity": 60,
    "unit": "g",
    "caloriesKcal": 230.4,
    "proteinG": 8.1,
    "carbsG": 39.6,
    "fatG": 4.2,
    "fiberG": 6.0,
}
MILK = {
    "name": "Milk",
    "quantity": 200,
    "unit": "ml",
    "caloriesKcal": 100.2,
    "proteinG": 6.8,
    "carbsG": 9.6,
    "fatG": 3.6,
    "sugarG": 9.6,
    "sodiumMg": 88,
}
BREAKFAST = {"mealType": "breakfast", "eatenAt": "2026-11-26T07:30:00+01:00", "items": [OATS]}


def create_meal(client, **fields):
    response = client.post("/meals", json={**BREAKFAST, **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_meal_lifecycle_with_totals(alice):
    created = alice.post(
        "/meals", json={**BREAKFAST, "name": "Porridge", "items": [OATS, MILK], "notes": "ok"}
    )
    assert created.status_code == 201
    meal = created.json
    assert created.headers["Location"] == f"/meals/{meal['mealId']}"
    assert created.headers["ETag"] == '"1"'
    assert meal["eatenAt"] == "2026-11-26T06:30:00Z"
    assert meal["name"] == "Porridge"
    assert meal["items"] == [
        OATS | {"sugarG": None, "sodiumMg": None},
        MILK | {"fiberG": None},
    ]
    assert meal["totals"] == {
        "caloriesKcal": 330.6,
        "proteinG": 14.9,
        "carbsG": 49.2,
        "fatG": 7.8,
        "fiberG": 6.0,
        "sugarG": 9.6,
        "sodiumMg": 88,
    }
    assert set(meal) == {
        "mealId",
        "mealType",
        "eatenAt",
        "name",
        "items",
        "totals",
        "notes",
        "createdAt",
        "updatedAt",
    }

    url = f"/meals/{meal['mealId']}"
    fetched = alice.get(url)
    assert fetched.json == meal
    assert fetched.headers["ETag"] == '"1"'

    renamed = alice.patch(url, json={"name": None, "mealType": "lunch"})
    assert renamed.status_code == 200
    assert renamed.headers["ETag"] == '"2"'
    assert renamed.json["name"] is None
    assert renamed.json["mealType"] == "lunch"
    assert renamed.json["totals"] == meal["totals"]

    reitemized = alice.patch(url, json={"items": [MILK, MILK]})
    assert reitemized.json["totals"] == {
        "caloriesKcal": 200.4,
        "proteinG": 13.6,
        "carbsG": 19.2,
        "fatG": 7.2,
        "fiberG": None,
        "sugarG": 19.2,
        "sodiumMg": 176,
    }
    emptied = alice.patch(url, json={"items": []})
    assert emptied.json["items"] == []
    assert emptied.json["totals"]["caloriesKcal"] == 0
    assert alice.get(url).json == emptied.json

    assert alice.delete(url).status_code == 204
    assert alice.get(url).status_code == 404
    assert stored(ALICE, MealItem) == []


def test_a_meal_without_items_has_zero_totals(alice):
    response = alice.post("/meals", json={"mealType": "snack", "eatenAt": "2026-11-26T10:00:00Z"})
    assert response.status_code == 201
    meal = response.json
    assert meal["items"] == []
    assert meal["totals"] == {
        "caloriesKcal": 0,
        "proteinG": 0,
        "carbsG": 0,
        "fatG": 0,
        "fiberG": None,
        "sugarG": None,
        "sodiumMg": None,
    }


def without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (without(BREAKFAST, "mealType"), "mealType"),
        ({**BREAKFAST, "mealType": "brunch"}, "mealType"),
        (without(BREAKFAST, "eatenAt"), "eatenAt"),
        ({**BREAKFAST, "eatenAt": "2026-11-26T07:30:00"}, "eatenAt"),
        ({**BREAKFAST, "eatenAt": "2026-11-26"}, "eatenAt"),
        ({**BREAKFAST, "name": "x" * 201}, "name"),
        ({**BREAKFAST, "notes": "x" * 2001}, "notes"),
        ({**BREAKFAST, "items": [OATS] * 51}, "items"),
        ({**BREAKFAST, "items": OATS}, "items"),
        ({**BREAKFAST, "items": [without(OATS, "caloriesKcal")]}, "items"),
        ({**BREAKFAST, "items": [without(OATS, "name")]}, "items"),
        ({**BREAKFAST, "items": [without(OATS, "unit")]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "proteinG": -1}]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "fatG": 5001}]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "caloriesKcal": 20001}]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "sodiumMg": -0.5}]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "quantity": "lots"}]}, "items"),
        ({**BREAKFAST, "items": [{**OATS, "vitaminC": 3}]}, "items"),
        ({**BREAKFAST, "items": ["oats"]}, "items"),
        ({**BREAKFAST, "totals": {"caloriesKcal": 1}}, "totals"),
        ({**BREAKFAST, "mealId": "01J00000000000000000000000"}, "mealId"),
        ({**BREAKFAST, "createdAt": "2026-11-26T07:30:00Z"}, "createdAt"),
        ({**BREAKFAST, "date": "2026-11-26"}, "date"),
    ],
)
def test_invalid_meal_is_rejected_and_stores_nothing(alice, body, field):
    response = alice.post("/meals", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert field in response.json["details"]
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_item_errors_name_the_item_and_field(alice):
    response = alice.post("/meals", json={**BREAKFAST, "items": [OATS, {**MILK, "carbsG": -2}]})
    assert response.status_code == 400
    assert list(response.json["details"]["items"]) == ["1"]
    assert "carbsG" in response.json["details"]["items"]["1"]


def test_fifty_items_are_accepted(alice):
    meal = create_meal(alice, items=[MILK] * 50)
    assert len(meal["items"]) == 50
    assert meal["totals"]["caloriesKcal"] == 5010


def test_patch_rejects_totals_and_bad_items(alice):
    meal = create_meal(alice)
    url = f"/meals/{meal['mealId']}"
    for body in (
        {"totals": {"caloriesKcal": 0}},
        {"items": [{**OATS, "fatG": -1}]},
        {"items": None},
        {"eatenAt": "2026-11-26T08:00:00"},
        {"mealType": None},
        {"updatedAt": "2026-11-26T08:00:00Z"},
    ):
        assert alice.patch(url, json=body).status_code == 400, body
    assert alice.get(url).json == meal


def test_list_by_local_date_range_and_meal_type(alice):
    set_profile(ALICE, timezone="America/New_York")
    # 2026-11-26 in New York runs from 05:00Z to 05:00Z the next day.
    late_dinner = create_meal(alice, mealType="dinner", eatenAt="2026-11-27T03:30:00Z")
    breakfast = create_meal(alice, mealType="breakfast", eatenAt="2026-11-26T08:00:00-05:00")
    early_snack = create_meal(alice, mealType="snack", eatenAt="2026-11-26T04:59:00Z")
    lunch = create_meal(alice, mealType="lunch", eatenAt="2026-11-26T12:15:00-05:00")
    next_day = create_meal(alice, mealType="breakfast", eatenAt="2026-11-27T07:00:00-05:00")

    def ids(response):
        assert response.status_code == 200, response.json
        return [m["mealId"] for m in response.json["items"]]

    # Newest eatenAt first, whatever order they were logged in.
    day = ids(alice.get("/meals", query_string={"date": "2026-11-26"}))
    assert day == [late_dinner["mealId"], lunch["mealId"], breakfast["mealId"]]
    assert ids(alice.get("/meals", query_string={"date": "2026-11-25"})) == [early_snack["mealId"]]
    assert ids(
        alice.get("/meals", query_string={"date": "2026-11-26", "mealType": "breakfast"})
    ) == [breakfast["mealId"]]

    ranged = alice.get(
        "/meals",
        query_string={"from": "2026-11-26T13:00:00Z", "to": "2026-11-27T03:30:00Z"},
    )
    assert ids(ranged) == [late_dinner["mealId"], lunch["mealId"], breakfast["mealId"]]
    assert ids(alice.get("/meals", query_string={"mealType": "breakfast"})) == [
        next_day["mealId"],
        breakfast["mealId"],
    ]
    assert len(ids(alice.get("/meals"))) == 5


def test_moving_eaten_at_moves_the_meal_to_its_new_day(alice):
    set_profile(ALICE, timezone="Asia/Tokyo")
    meal = create_meal(alice, eatenAt="2026-11-26T20:00:00+09:00")
    assert [m["mealId"] for m in alice.get("/meals?date=2026-11-26").json["items"]] == [
        meal["mealId"]
    ]
    moved = alice.patch(f"/meals/{meal['mealId']}", json={"eatenAt": "2026-11-26T16:00:00Z"})
    assert moved.status_code == 200
    assert alice.get("/meals?date=2026-11-26").json["items"] == []
    assert [m["mealId"] for m in alice.get("/meals?date=2026-11-27").json["items"]] == [
        meal["mealId"]
    ]
    (item,) = stored(ALICE, MealItem)
    assert item.lsi1_sk == f"MEAL#2026-11-26T16:00:00.000Z#{meal['mealId']}"
    assert item.lsi2_sk == f"DAY#2026-11-27#MEAL#2026-11-26T16:00:00.000Z#{meal['mealId']}"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date": "2026-11-26", "from": "2026-11-26T00:00:00Z"}, "date"),
        ({"date": "26/11/2026"}, "date"),
        ({"from": "2026-11-26T00:00:00"}, "from"),
        ({"from": "2026-11-27T00:00:00Z", "to": "2026-11-26T00:00:00Z"}, "to"),
        ({"mealType": "brunch"}, "mealType"),
    ],
)
def test_bad_list_filters_are_400(alice, query, field):
    response = alice.get("/meals", query_string=query)
    assert response.status_code == 400
    assert field in response.json["details"]


def test_pagination_by_date_and_by_range(alice):
    created = [
        create_meal(alice, mealType="snack", eatenAt=f"2026-11-26T{hour:02d}:00:00Z")["mealId"]
        for hour in range(0, 23)
    ]
    by_date, pages = walk_pages(alice, "/meals", limit=10, date="2026-11-26")
    assert pages == 3
    assert [m["mealId"] for m in by_date] == list(reversed(created))
    by_range, _pages = walk_pages(
        alice, "/meals", limit=7, **{"from": "2026-11-26T05:00:00Z", "to": "2026-11-26T09:00:00Z"}
    )
    assert [m["mealId"] for m in by_range] == list(reversed(created[5:10]))


def test_if_match(alice):
    url = f"/meals/{create_meal(alice)['mealId']}"
    assert alice.patch(url, json={"notes": "a"}, headers={"If-Match": '"1"'}).status_code == 200
    assert alice.patch(url, json={"notes": "b"}, headers={"If-Match": '"1"'}).status_code == 412
    assert alice.get(url).json["notes"] == "a"
    assert alice.delete(url, headers={"If-Match": '"7"'}).status_code == 412
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_another_user_gets_404_and_never_sees_the_meal(alice, bob):
    meal = create_meal(alice)
    url = f"/meals/{meal['mealId']}"
    assert bob.get(url).status_code == 404
    assert bob.patch(url, json={"notes": "mine now"}).status_code == 404
    assert bob.delete(url).status_code == 404
    assert bob.get("/meals").json["items"] == []
    assert bob.get("/meals?date=2026-11-26").json["items"] == []
    assert alice.get(url).json == meal


def test_dynamodb_requests_per_route(alice, aws_calls):
    meal = create_meal(alice)
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}  # profile, meal
    url = f"/meals/{meal['mealId']}"
    for query in ({}, {"date": "2026-11-26", "mealType": "lunch"}, {"to": "2026-12-01T00:00Z"}):
        aws_calls.reset()
        assert alice.get("/meals", query_string=query).status_code == 200
        assert dict(aws_calls.dynamodb) == {"Query": 1}
    aws_calls.reset()
    alice.get(url)
    assert dict(aws_calls.dynamodb) == {"GetItem": 1}
    aws_calls.reset()
    alice.patch(url, json={"items": [MILK]})
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}
    aws_calls.reset()
    alice.patch(url, json={"eatenAt": "2026-11-26T09:00:00Z"})
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "PutItem": 1}  # meal + profile
    aws_calls.reset()
    alice.delete(url)
    assert dict(aws_calls.dynamodb) == {"TransactWriteItems": 1}
