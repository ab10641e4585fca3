"""Abuse limits on the public account routes (API.md "Public routes"): per email, counted in
the table before Cognito is asked, a 429 with `Retry-After` in the error envelope past the
limit, the same answers whether or not the account exists. The counters hold a keyed
digest of the email, never the address, and expire by TTL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botocore.stub import Stubber

from lifestyle_api.accounts.service import cognito_client
from lifestyle_api.db import TableItem
from lifestyle_api.exceptions import TooManyRequests
from tests.support.cognito import PASSWORD, STUBBED_POOL, create_user_pool, sign_up_and_login

EMAIL = "ada@example.com"
ENVELOPE = {"error", "message", "timestamp", "requestId"}
# API.md "Public routes": the limits, per email.
FAILED_LOGINS = 10
CODES_AN_HOUR = 5
REGISTRATIONS = 10


@pytest.fixture
def pool(aws):
    return create_user_pool()


@pytest.fixture
def settings_overrides(request):
    if "pool" in request.fixturenames:
        return request.getfixturevalue("pool").settings()
    return STUBBED_POOL.settings()


@pytest.fixture
def settings(app):
    return app.extensions["lifestyle_api.settings"]


@pytest.fixture
def stubber(settings):
    with Stubber(cognito_client(settings)) as stub:
        yield stub
        stub.assert_no_pending_responses()


def assert_limited(response) -> int:
    assert response.status_code == 429, response.get_json()
    assert set(response.get_json()) >= ENVELOPE
    assert response.get_json()["error"] == "Too Many Requests"
    retry_after = int(response.headers["Retry-After"])
    assert retry_after >= 1
    return retry_after


def every_item() -> list[dict]:
    return [item.serialize() for item in TableItem.scan()]


def test_forty_wrong_logins_are_ten_401s_then_429s(client, stubber):
    for _ in range(FAILED_LOGINS):
        stubber.add_client_error("initiate_auth", service_error_code="NotAuthorizedException")
    answers = [
        client.post("/auth/login", json={"email": EMAIL, "password": "Wrong-Pass-1"})
        for _ in range(40)
    ]
    assert [a.status_code for a in answers[:FAILED_LOGINS]] == [401] * FAILED_LOGINS
    for answer in answers[FAILED_LOGINS:]:
        assert_limited(answer)  # and Cognito is no longer asked: nothing else is stubbed


def test_the_right_password_after_ten_failures_is_still_429(client, pool):
    sign_up_and_login(client, EMAIL)
    for _ in range(FAILED_LOGINS):
        wrong = client.post("/auth/login", json={"email": EMAIL, "password": "Wrong-Pass-1"})
        assert wrong.status_code == 401
    assert_limited(client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD}))


def test_a_successful_login_counts_nothing(client, pool):
    sign_up_and_login(client, EMAIL)
    for _ in range(FAILED_LOGINS + 2):
        response = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert response.status_code == 200


def test_the_answers_are_the_same_whether_the_account_exists(client, pool):
    sign_up_and_login(client, EMAIL)
    answers = {}
    for email in (EMAIL, "nobody@example.com"):
        answers[email] = [
            client.post("/auth/login", json={"email": email, "password": "Wrong-Pass-1"})
            for _ in range(FAILED_LOGINS + 2)
        ]
    known, unknown = answers.values()
    assert [a.status_code for a in known] == [a.status_code for a in unknown]
    assert [a.status_code for a in known][-3:] == [401, 429, 429]
    for left, right in zip(known, unknown, strict=True):
        assert left.get_json()["message"] == right.get_json()["message"]
        assert ("Retry-After" in left.headers) == ("Retry-After" in right.headers)


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/auth/forgot-password", "forgot_password"),
        ("/auth/resend-code", "resend_confirmation_code"),
    ],
)
def test_thirty_code_requests_for_one_victim_send_five_codes(client, stubber, path, operation):
    for _ in range(CODES_AN_HOUR):
        stubber.add_response(operation, {"CodeDeliveryDetails": {"DeliveryMedium": "EMAIL"}})
    answers = [client.post(path, json={"email": EMAIL}) for _ in range(30)]
    assert [a.status_code for a in answers[:CODES_AN_HOUR]] == [202] * CODES_AN_HOUR
    for answer in answers[CODES_AN_HOUR:]:
        assert_limited(answer)


def test_the_email_as_typed_is_one_counter(client, stubber):
    for _ in range(5):
        stubber.add_response("forgot_password", {})
    for spelling in ("ada@example.com", "ADA@example.com", " Ada@Example.com", "ada@EXAMPLE.com"):
        client.post("/auth/forgot-password", json={"email": spelling})
    client.post("/auth/forgot-password", json={"email": "ada@example.com"})
    assert_limited(client.post("/auth/forgot-password", json={"email": "aDa@example.com"}))


def test_register_is_ten_per_email_per_quarter_hour(client, stubber):
    for _ in range(REGISTRATIONS):
        stubber.add_client_error("sign_up", service_error_code="UsernameExistsException")
    body = {"email": EMAIL, "password": PASSWORD}
    answers = [client.post("/auth/register", json=body) for _ in range(REGISTRATIONS + 2)]
    assert [a.status_code for a in answers[:REGISTRATIONS]] == [409] * REGISTRATIONS
    for answer in answers[REGISTRATIONS:]:
        assert_limited(answer)


def test_counters_hold_no_email_and_expire(client, stubber, settings):
    from lifestyle_api.accounts import limits

    stubber.add_response("forgot_password", {})
    before = datetime.now(UTC)
    client.post("/auth/forgot-password", json={"email": EMAIL})
    (item,) = every_item()
    digest = limits.email_digest(settings, EMAIL)
    assert item["PK"] == {"S": f"LIMIT#{digest}"}
    assert item["SK"] == {"S": "LIMIT#forgot-password"}
    assert EMAIL not in str(item)
    assert len(digest) == 64
    expires = int(item["expiresAt"]["N"])
    hour = timedelta(hours=1).total_seconds()
    assert before.timestamp() + hour - 5 <= expires <= datetime.now(UTC).timestamp() + hour + 5


def test_the_window_slides_and_retry_after_says_when_a_slot_frees(app, settings):
    from lifestyle_api.accounts import limits

    start = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    limit = limits.FORGOT_PASSWORD
    with app.app_context():
        for minute in range(5):
            limits.take(limit, settings, EMAIL, now=start + timedelta(minutes=10 * minute))
        with pytest.raises(TooManyRequests) as refused:
            limits.take(limit, settings, EMAIL, now=start + timedelta(minutes=45))
        # The first attempt (07:00) leaves the window at 08:00: 15 minutes later.
        assert refused.value.headers["Retry-After"] == str(15 * 60)
        limits.take(limit, settings, EMAIL, now=start + timedelta(hours=1, seconds=1))
        with pytest.raises(TooManyRequests):
            limits.take(limit, settings, EMAIL, now=start + timedelta(hours=1, seconds=2))


def test_other_emails_are_not_limited(client, stubber):
    for _ in range(6):
        stubber.add_response("forgot_password", {})
    for _ in range(5):
        client.post("/auth/forgot-password", json={"email": EMAIL})
    response = client.post("/auth/forgot-password", json={"email": "grace@example.com"})
    assert response.status_code == 202


@pytest.mark.parametrize("status", [429, 503])
def test_every_429_and_503_says_when_to_retry(app, status):
    from lifestyle_api.http.envelope import error_response

    with app.test_request_context():
        response = error_response(status, "Slow down.")
    assert response.headers["Retry-After"] == "1"
