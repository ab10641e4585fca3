"""`/me/devices`: registering push tokens (the same token is the same device), listing,
reading and deleting them; tokens are never answered whole; another user's device is a 404."""

from __future__ import annotations

import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.notifications.service import MAX_DEVICES
from tests.support.reminders import ios_token

FCM_TOKEN = "cM9-x_Yq0kE:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx"


def register(client, platform: str = "ios", token: str | None = None):
    return client.post("/me/devices", json={"platform": platform, "token": token or ios_token()})


def test_a_device_is_registered_and_its_token_never_answered_whole(alice):
    token = ios_token()

    response = register(alice, token=token)

    assert response.status_code == 201
    device = response.json
    assert set(device) == {"deviceId", "platform", "tokenSuffix", "createdAt"}
    assert device["platform"] == "ios"
    assert device["tokenSuffix"] == token[-6:]
    assert token not in response.get_data(as_text=True)
    assert response.headers["Location"] == f"/me/devices/{device['deviceId']}"
    assert response.headers["ETag"] == '"1"'
    assert alice.get(response.headers["Location"]).json == device


def test_the_same_token_again_is_the_same_device(alice):
    token = ios_token()
    first = register(alice, token=token)

    again = register(alice, token=token)

    assert again.status_code == 200
    assert again.json == first.json
    assert len(alice.get("/me/devices").json["items"]) == 1


def test_the_same_token_on_another_platform_is_another_device(alice):
    ios = register(alice, "ios", FCM_TOKEN).json
    android = register(alice, "android", FCM_TOKEN).json

    assert ios["deviceId"] != android["deviceId"]
    assert {d["platform"] for d in alice.get("/me/devices").json["items"]} == {"ios", "android"}


def test_devices_are_listed_newest_first_in_pages(alice):
    ids = [register(alice).json["deviceId"] for _ in range(3)]

    first = alice.get("/me/devices", query_string={"limit": 2}).json
    second = alice.get("/me/devices", query_string={"limit": 2, "cursor": first["nextCursor"]}).json

    assert [d["deviceId"] for d in first["items"] + second["items"]] == ids[::-1]
    assert second["nextCursor"] is None


def test_a_deleted_device_is_gone(alice):
    device = register(alice).json
    url = f"/me/devices/{device['deviceId']}"

    assert alice.delete(url).status_code == 204

    assert alice.get(url).status_code == 404
    assert alice.delete(url).status_code == 404
    assert alice.get("/me/devices").json["items"] == []


def test_a_stale_if_match_keeps_the_device(alice):
    device = register(alice).json
    url = f"/me/devices/{device['deviceId']}"

    response = alice.delete(url, headers={"If-Match": '"7"'})

    assert response.status_code == 412
    assert alice.get(url).status_code == 200
    assert alice.delete(url, headers={"If-Match": '"1"'}).status_code == 204


def test_another_users_device_is_not_found_and_stays(alice, bob):
    device = register(alice).json
    url = f"/me/devices/{device['deviceId']}"

    assert bob.get(url).status_code == 404
    assert bob.delete(url).status_code == 404
    assert bob.get("/me/devices").json["items"] == []
    assert alice.get(url).status_code == 200


def test_at_most_ten_devices_and_a_known_token_is_still_answered(alice):
    tokens = [ios_token() for _ in range(MAX_DEVICES)]
    for token in tokens:
        assert register(alice, token=token).status_code == 201

    refused = register(alice)

    assert refused.status_code == 409
    assert refused.json["error"] == "Conflict"
    assert register(alice, token=tokens[0]).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"platform": "ios"},
        {"token": "abc123"},
        {"platform": "windows", "token": "abc123"},
        {"platform": "ios", "token": ""},
        {"platform": "ios", "token": "abc 123"},
        {"platform": "ios", "token": "abc123\n"},
        {"platform": "ios", "token": "x" * 4097},
        {"platform": "ios", "token": 123456},
        {"platform": "ios", "token": "abc123", "deviceId": "01J00000000000000000000000"},
        {"platform": "ios", "token": "abc123", "tokenSuffix": "abc123"},
    ],
)
def test_invalid_registrations_are_400_and_store_nothing(alice, body):
    response = alice.post("/me/devices", json=body)

    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert alice.get("/me/devices").json["items"] == []


def test_devices_live_in_the_users_partition(alice):
    token = ios_token()
    register(alice, token=token)

    stored = [item for item in TableItem.query(user_pk("alice-sub")) if item.sk.startswith("DEV")]

    assert [(item.platform, item.token) for item in stored] == [("ios", token)]
