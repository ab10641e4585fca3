"""The inbox a pass fills: `GET /notifications` newest first, in pages; one notification
with its ETag; `POST /notifications/{id}/read` sets `readAt` once; another user's
notification is a 404; notifications older than 30 days are gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.reminders import add_habit, inbox_of, set_profile, stored_notifications

ALICE = "alice-sub"
FIELDS = {"notificationId", "kind", "title", "body", "goalId", "createdAt", "readAt"}


def recent_quarter_hour(hours_ago: int) -> datetime:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now - timedelta(hours=hours_ago, minutes=now.minute % 15)


def reminded_twice(alice, passes) -> tuple[str, str, list[datetime]]:
    """Two habits reminded by two passes of the last day: the goal ids, the pass instants."""
    first, second = recent_quarter_hour(6), recent_quarter_hour(3)
    set_profile(alice, "UTC")
    early = add_habit(alice, title="Early", reminder=f"{first:%H:%M}")
    late = add_habit(alice, title="Late", reminder=f"{second:%H:%M}")
    for at in (first, second):
        passes(ALICE).run(at)
    return early, late, [first, second]


def test_the_inbox_is_newest_first_with_the_contracts_fields(alice, passes):
    early, late, instants = reminded_twice(alice, passes)

    items = inbox_of(alice)

    assert [n["goalId"] for n in items] == [late, early]
    assert all(set(n) == FIELDS for n in items)
    assert [n["kind"] for n in items] == ["reminder", "reminder"]
    assert [n["title"] for n in items] == ["Late", "Early"]
    assert [n["createdAt"] for n in items] == [
        f"{at:%Y-%m-%dT%H:%M:%S}Z" for at in reversed(instants)
    ]
    assert [n["readAt"] for n in items] == [None, None]


def test_the_inbox_pages(alice, passes):
    reminded_twice(alice, passes)

    first = alice.get("/notifications", query_string={"limit": 1}).json
    second = alice.get(
        "/notifications", query_string={"limit": 1, "cursor": first["nextCursor"]}
    ).json

    assert [n["title"] for n in first["items"] + second["items"]] == ["Late", "Early"]
    assert second["nextCursor"] is None


def test_reading_a_notification_sets_read_at_once(alice, passes):
    reminded_twice(alice, passes)
    notification = inbox_of(alice)[0]
    url = f"/notifications/{notification['notificationId']}"
    assert alice.get(url).json == notification

    read = alice.post(f"{url}/read")
    again = alice.post(f"{url}/read", json={})

    assert read.status_code == 200
    assert read.json["readAt"] is not None
    assert read.json == {**notification, "readAt": read.json["readAt"]}
    assert read.headers["ETag"] == '"2"'
    assert again.json == read.json
    assert again.headers["ETag"] == '"2"'
    assert alice.get(url).json == read.json
    assert [n["readAt"] for n in inbox_of(alice)] == [read.json["readAt"], None]


def test_the_optional_read_body_may_be_empty_even_announced_as_json(alice, passes):
    """What generated clients send when the optional body is left out."""
    reminded_twice(alice, passes)
    notification = inbox_of(alice)[0]

    read = alice.post(
        f"/notifications/{notification['notificationId']}/read",
        data=b"",
        content_type="application/json",
    )

    assert read.status_code == 200, read.json
    assert read.json["readAt"] is not None


def test_marking_read_takes_no_fields(alice, passes):
    reminded_twice(alice, passes)
    notification = inbox_of(alice)[0]

    response = alice.post(
        f"/notifications/{notification['notificationId']}/read",
        json={"readAt": "2020-01-01T00:00:00Z"},
    )

    assert response.status_code == 400
    assert "readAt" in response.json["details"]
    assert inbox_of(alice)[0]["readAt"] is None


def test_another_users_notification_is_not_found(alice, bob, passes):
    reminded_twice(alice, passes)
    notification = inbox_of(alice)[0]
    url = f"/notifications/{notification['notificationId']}"

    assert bob.get(url).status_code == 404
    assert bob.post(f"{url}/read").status_code == 404
    assert inbox_of(bob) == []
    assert alice.get(url).json["readAt"] is None


def test_an_unknown_notification_is_not_found(alice):
    assert alice.get("/notifications/01J00000000000000000000000").status_code == 404
    assert alice.post("/notifications/01J00000000000000000000000/read").status_code == 404
    assert alice.get("/notifications/not-an-id").status_code == 404


def test_notifications_older_than_30_days_are_gone(alice, passes):
    old = recent_quarter_hour(24 * 31)
    set_profile(alice, "UTC")
    add_habit(alice, reminder=f"{old:%H:%M}")
    passes(ALICE).run(old)

    (stored,) = stored_notifications(ALICE)
    assert stored.expires_at == old + timedelta(days=30)
    assert inbox_of(alice) == []
    assert alice.get(f"/notifications/{stored.notification_id}").status_code == 404
    assert alice.post(f"/notifications/{stored.notification_id}/read").status_code == 404
