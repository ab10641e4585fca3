"""`GET /me` and `PATCH /me`: created on first use (email from Cognito), validation,
ETag / If-Match, concurrent writes, and what each call costs in DynamoDB requests."""

from __future__ import annotations

import pytest

from lifestyle_api.db.retry import WRITE_RETRY
from lifestyle_api.profile.models import ProfileItem
from tests.support.cognito import PASSWORD, create_user_pool, gateway_environ

DEFAULT_TARGETS = {
    "caloriesKcal": None,
    "proteinG": None,
    "carbsG": None,
    "fatG": None,
    "waterMl": None,
    "steps": None,
    "sleepMinutes": None,
    "activeMinutes": None,
}


def stored(sub: str) -> ProfileItem:
    return ProfileItem.get(*ProfileItem.key(sub))


def test_first_get_creates_the_profile_with_defaults(alice):
    first = alice.get("/me")
    assert first.status_code == 200
    assert first.headers["ETag"] == '"1"'
    body = first.json
    assert body == {
        "userId": "alice-sub",
        "email": "",
        "name": None,
        "timezone": "UTC",
        "unitSystem": "metric",
        "dailyTargets": DEFAULT_TARGETS,
        "notifications": {"enabled": True, "quietHours": None, "streakNudges": True},
        "createdAt": body["createdAt"],
        "updatedAt": body["createdAt"],
    }
    assert body["createdAt"].endswith("Z")
    assert stored("alice-sub").version == 1

    again = alice.get("/me")
    assert again.json == body
    assert again.headers["ETag"] == '"1"'


def test_first_get_takes_the_email_from_cognito(app, aws, monkeypatch):
    # A user who signed up outside the API (e.g. Cognito's hosted UI): no profile yet.
    pool = create_user_pool()
    settings = app.extensions["lifestyle_api.settings"]
    monkeypatch.setitem(
        app.extensions,
        "lifestyle_api.settings",
        type(settings).from_env({"TABLE_NAME": settings.table_name, **pool.settings()}, {}),
    )
    cognito = pool.client()
    cognito.sign_up(
        ClientId=pool.client_id,
        Username="grace@example.com",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "grace@example.com"}],
    )
    cognito.admin_confirm_sign_up(UserPoolId=pool.pool_id, Username="grace@example.com")
    token = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "grace@example.com", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    client = app.test_client()
    client.environ_base.update(gateway_environ(token))
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    response = client.get("/me")
    assert response.status_code == 200
    assert response.json["email"] == "grace@example.com"
    assert stored(response.json["userId"]).email == "grace@example.com"


def test_email_is_empty_when_cognito_does_not_know_the_token(make_client):
    client = make_client("ghost-sub")
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer not-a-cognito-token"
    response = client.get("/me")
    assert response.status_code == 200
    assert response.json["email"] == ""


def test_patch_changes_only_what_is_sent(alice):
    alice.get("/me")
    patched = alice.patch(
        "/me",
        json={
            "name": "Alice",
            "timezone": "Europe/Paris",
            "unitSystem": "imperial",
            "dailyTargets": {"steps": 10000, "waterMl": 2000.5},
        },
    )
    assert patched.status_code == 200
    assert patched.headers["ETag"] == '"2"'
    assert patched.json["name"] == "Alice"
    assert patched.json["timezone"] == "Europe/Paris"
    assert patched.json["unitSystem"] == "imperial"
    assert patched.json["dailyTargets"] == {**DEFAULT_TARGETS, "steps": 10000, "waterMl": 2000.5}
    assert patched.json["updatedAt"] >= patched.json["createdAt"]

    more = alice.patch("/me", json={"dailyTargets": {"caloriesKcal": 2200, "steps": None}})
    assert more.status_code == 200
    assert more.json["dailyTargets"] == {**DEFAULT_TARGETS, "waterMl": 2000.5, "caloriesKcal": 2200}
    assert more.json["timezone"] == "Europe/Paris"
    assert more.headers["ETag"] == '"3"'

    assert alice.get("/me").json == more.json
    profile = stored("alice-sub")
    assert (profile.timezone, profile.unit_system, profile.daily_targets.calories_kcal) == (
        "Europe/Paris",
        "imperial",
        2200,
    )


def test_patch_before_any_get_creates_the_profile(alice):
    response = alice.patch("/me", json={"timezone": "America/New_York"})
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.json["timezone"] == "America/New_York"
    assert response.json["unitSystem"] == "metric"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"unitSystem": "furlongs"}, "unitSystem"),
        ({"dailyTargets": {"steps": -1}}, "dailyTargets"),
        ({"dailyTargets": {"caloriesKcal": -0.5}}, "dailyTargets"),
        ({"dailyTargets": {"sleepMinutes": 7.5}}, "dailyTargets"),
        ({"dailyTargets": {"fiberG": 30}}, "dailyTargets"),
        ({"dailyTargets": None}, "dailyTargets"),
        ({"dailyTargets": {"waterMl": "lots"}}, "dailyTargets"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"email": "other@example.com"}, "email"),
        ({"userId": "bob-sub"}, "userId"),
        ({"createdAt": "2026-01-01T00:00:00Z"}, "createdAt"),
        ({"version": 7}, "version"),
        ({"favouriteColour": "green"}, "favouriteColour"),
    ],
)
def test_invalid_patch_is_400_and_changes_nothing(alice, body, field):
    before = alice.get("/me").json
    response = alice.patch("/me", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert field in response.json["details"]
    assert alice.get("/me").json == before
    assert stored("alice-sub").version == 1


def test_patch_needs_a_json_body(alice):
    response = alice.patch("/me", data="timezone=UTC", content_type="text/plain")
    assert response.status_code == 415


def test_if_match(alice):
    alice.get("/me")
    stale = alice.patch("/me", json={"name": "A"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json["error"] == "Precondition Failed"
    malformed = alice.patch("/me", json={"name": "A"}, headers={"If-Match": "soon"})
    assert malformed.status_code == 412
    assert stored("alice-sub").version == 1

    current = alice.patch("/me", json={"name": "A"}, headers={"If-Match": '"1"'})
    assert current.status_code == 200
    assert current.headers["ETag"] == '"2"'
    old = alice.patch("/me", json={"name": "B"}, headers={"If-Match": '"1"'})
    assert old.status_code == 412
    assert alice.get("/me").json["name"] == "A"


def test_a_concurrent_write_is_retried_and_both_changes_kept(alice, monkeypatch):
    alice.get("/me")
    real_find = ProfileItem.find
    calls = []

    def find_then_race(sub):
        profile = real_find(sub)
        if not calls:
            # Another request changes the profile between this read and its write.
            other = real_find(sub)
            other.name = "Changed elsewhere"
            other.save()
        calls.append(sub)
        return profile

    monkeypatch.setattr(ProfileItem, "find", staticmethod(find_then_race))
    response = alice.patch("/me", json={"timezone": "Asia/Tokyo"})
    assert response.status_code == 200
    assert len(calls) == 2
    assert response.json["name"] == "Changed elsewhere"
    assert response.json["timezone"] == "Asia/Tokyo"
    assert response.headers["ETag"] == '"3"'


def test_writes_that_always_collide_end_in_409(alice, monkeypatch):
    alice.get("/me")
    real_find = ProfileItem.find

    def always_stale(sub):
        profile = real_find(sub)
        other = real_find(sub)
        other.save()
        return profile

    monkeypatch.setattr(ProfileItem, "find", staticmethod(always_stale))
    response = alice.patch("/me", json={"name": "Never"})
    assert response.status_code == 409
    assert stored("alice-sub").version == 1 + WRITE_RETRY.attempts


def test_each_user_sees_only_their_own_profile(alice, bob):
    alice.patch("/me", json={"name": "Alice", "timezone": "Europe/Paris"})
    bob_profile = bob.get("/me").json
    assert bob_profile["userId"] == "bob-sub"
    assert bob_profile["name"] is None
    assert bob_profile["timezone"] == "UTC"


def test_me_needs_a_caller(client):
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)("/me")
        assert response.status_code == 401
        assert response.json["error"] == "Unauthorized"


def test_dynamodb_requests(alice, aws_calls):
    alice.get("/health")
    aws_calls.reset()
    alice.get("/me")
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}
    aws_calls.reset()
    alice.get("/me")
    assert dict(aws_calls.dynamodb) == {"GetItem": 1}
    aws_calls.reset()
    alice.patch("/me", json={"timezone": "Europe/Paris"})
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}


def test_patch_targets_before_any_get(alice):
    response = alice.patch("/me", json={"dailyTargets": {"steps": 5000}})
    assert response.status_code == 200
    assert response.json["dailyTargets"] == {**DEFAULT_TARGETS, "steps": 5000}


def test_a_profile_never_read_is_version_0_to_if_match(alice):
    # Before the first read stores it, the profile answers ETag "0": a write naming that
    # version is the first change, and naming it again is stale.
    first = alice.patch("/me", json={"name": "A"}, headers={"If-Match": '"0"'})
    assert first.status_code == 200
    assert first.headers["ETag"] == '"1"'
    again = alice.patch("/me", json={"name": "B"}, headers={"If-Match": '"0"'})
    assert again.status_code == 412
    assert stored("alice-sub").name == "A"
