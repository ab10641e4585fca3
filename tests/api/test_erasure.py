"""Complete erasure (API.md "Profile": `DELETE /me`): from the 204 on, a token issued before
the deletion never reads old data and never recreates the profile (`GET /me` is a 401);
whatever such a token writes during or after the deletion is removed by the second pass,
which leaves one tombstone (the user id and the deletion time, expiring by TTL). On AWS the
deletion schedules that pass (EventBridge Scheduler, moto here) and the function runs it;
`python -m migrations_scripts purge-deleted` runs the passes that are due. A deletion that
fails half way (503) is finished by the same request, with or without its `If-Match`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from lifestyle_api.accounts.deletion import ACCESS_TOKEN_LIFETIME
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import ERASURE_PENDING, erasure_pending_sk, user_pk
from migrations_scripts.cli import main
from tests.support.aws import counting_aws_calls
from tests.support.cognito import (
    PASSWORD,
    answering_like_aws,
    create_user_pool,
    gateway_environ,
    sign_up_and_login,
)
from tests.support.events import FakeLambdaContext
from tests.support.identity import authorizer_environ
from tests.support.resources import activity_body, goal_body, meal_body, metric_body

EMAIL = "ada@example.com"
GROUP = "lifestyle-erasure"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api-test"
ROLE_ARN = "arn:aws:iam::123456789012:role/lifestyle-api-test-erasure-scheduler"
COGNITO_FAILURE = {
    "AdminDeleteUser": (500, {"__type": "InternalErrorException", "message": "Cognito failed"})
}


@pytest.fixture
def pool(aws):
    return create_user_pool()


@pytest.fixture
def settings_overrides(pool):
    return pool.settings()


@pytest.fixture
def ada(app, client):
    """Ada, signed up through the API, calling with her access token behind the gateway."""
    tokens = sign_up_and_login(client, EMAIL)
    caller = app.test_client()
    caller.environ_base.update(gateway_environ(tokens["accessToken"]))
    caller.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['accessToken']}"
    caller.sub = caller.get("/me").json["userId"]
    return caller


def stored(sub: str) -> list[TableItem]:
    return list(TableItem.query(user_pk(sub), consistent_read=True))


def only_the_tombstone(sub: str, *, pending: bool = False) -> dict:
    """The one item left: the user id and the deletion time, expiring by TTL (and, until
    the second pass, its place on the index of pending passes)."""
    (tombstone,) = stored(sub)
    raw = tombstone.serialize()
    kept = {"userId", "deletedAt", "expiresAt"} | ({"GSI1PK", "GSI1SK"} if pending else set())
    assert set(raw) - {"PK", "SK", "kind", "version"} == kept
    assert raw["userId"] == {"S": sub}
    deleted_at = datetime.fromisoformat(raw["deletedAt"]["S"].replace("+0000", "+00:00"))
    expires_at = datetime.fromtimestamp(int(raw["expiresAt"]["N"]), UTC)
    assert timedelta(days=29) < expires_at - deleted_at <= timedelta(days=31)
    if pending:
        assert raw["GSI1PK"] == {"S": ERASURE_PENDING}
        assert raw["GSI1SK"] == {"S": erasure_pending_sk(deleted_at, sub)}
    return raw


def write_everything(caller) -> list[int]:
    """What an old token may still try: create one of each kind, change the profile."""
    return [
        caller.post("/goals", json=goal_body()).status_code,
        caller.post("/activities", json=activity_body()).status_code,
        caller.post("/meals", json=meal_body()).status_code,
        caller.post("/metrics", json=metric_body()).status_code,
        caller.post("/metrics/batch", json={"items": [metric_body()]}).status_code,
        caller.patch("/me", json={"name": "Eve"}).status_code,
        caller.get("/me").status_code,
    ]


@pytest.fixture
def purge(app, capsys):
    """`python -m migrations_scripts purge-deleted` against the app's table and user pool:
    its output."""
    settings = app.extensions["lifestyle_api.settings"]
    target = ["--table", settings.table_name, "--region", settings.aws_region]
    target += ["--user-pool-id", settings.cognito_user_pool_id]

    def run(*args: str) -> str:
        assert main(["purge-deleted", *target, *args]) == 0
        return capsys.readouterr().out

    return run


def test_an_old_token_is_refused_and_never_recreates_the_profile(ada):
    ada.post("/goals", json=goal_body())
    assert ada.delete("/me").status_code == 204
    for _ in range(2):
        me = ada.get("/me")
        assert me.status_code == 401, me.json
        assert me.json["error"] == "Unauthorized"
        assert ada.patch("/me", json={"name": "Ada again"}).status_code == 401
        assert ada.get("/me/export").status_code == 401
        assert ada.get("/summaries/daily").status_code == 401
    only_the_tombstone(ada.sub, pending=True)


def test_writes_with_an_old_token_after_the_deletion_do_not_survive_the_pass(ada, purge):
    assert ada.delete("/me").status_code == 204
    write_everything(ada)
    assert len(stored(ada.sub)) > 1  # some writes need no profile: they land, for now
    out = purge("--grace-minutes", "0")
    assert "1 due" in out
    only_the_tombstone(ada.sub)
    assert write_everything(ada)[-2:] == [401, 401]  # the profile is still never recreated


def test_writes_during_the_deletion_do_not_survive_the_pass(app, ada, purge, monkeypatch):
    from lifestyle_api.accounts import service

    real_delete_user = service.delete_user
    during = []

    def delete_user_while_the_old_token_writes(settings, username):
        during.extend(write_everything(ada))  # after the partition was emptied
        return real_delete_user(settings, username)

    monkeypatch.setattr(service, "delete_user", delete_user_while_the_old_token_writes)
    assert ada.delete("/me").status_code == 204
    assert 201 in during
    purge("--grace-minutes", "0")
    only_the_tombstone(ada.sub)


@pytest.mark.parametrize("retry_if_match", ['"1"', None])
def test_a_cognito_failure_half_way_then_a_retry_ends_in_204(
    app, client, ada, pool, retry_if_match
):
    from lifestyle_api.accounts.service import cognito_client

    ada.post("/goals", json=goal_body())
    app_cognito = cognito_client(app.extensions["lifestyle_api.settings"])
    with answering_like_aws(app_cognito, COGNITO_FAILURE):
        failed = ada.delete("/me", headers={"If-Match": '"1"'})
    assert failed.status_code == 503, failed.json
    assert failed.headers["Retry-After"]
    assert pool.user(EMAIL) is not None  # the data is gone, the account not yet

    headers = {"If-Match": retry_if_match} if retry_if_match else {}
    retried = ada.delete("/me", headers=headers)
    assert retried.status_code == 204, retried.json
    assert pool.user(EMAIL) is None
    only_the_tombstone(ada.sub, pending=True)
    login = client.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 401


def test_a_second_delete_finishes_nothing_and_answers_204(ada):
    assert ada.delete("/me").status_code == 204
    assert ada.delete("/me").status_code == 204
    only_the_tombstone(ada.sub, pending=True)


def test_a_stale_if_match_deletes_nothing(ada):
    ada.post("/goals", json=goal_body())
    assert ada.delete("/me", headers={"If-Match": '"7"'}).status_code == 412
    assert ada.get("/me").status_code == 200
    assert len(stored(ada.sub)) == 2


def test_passes_are_due_once_access_tokens_have_expired(ada, purge):
    assert ada.delete("/me").status_code == 204
    ada.post("/goals", json=goal_body())
    assert "0 due" in purge()  # default grace: the access-token lifetime
    assert len(stored(ada.sub)) == 2
    purge("--grace-minutes", "0")
    only_the_tombstone(ada.sub)
    assert "0 due" in purge("--grace-minutes", "0")  # a pass runs once


def test_registering_again_is_a_new_account(app, client, ada):
    assert ada.delete("/me").status_code == 204
    tokens = sign_up_and_login(client, EMAIL)
    again = app.test_client()
    again.environ_base.update(gateway_environ(tokens["accessToken"]))
    me = again.get("/me")
    assert me.status_code == 200
    assert me.json["userId"] != ada.sub


# ---- on AWS: the deletion schedules the second pass, the function runs it ------------------


@pytest.fixture
def scheduled(app, aws, monkeypatch):
    """The settings Terraform gives the function for the schedule, and the schedule group."""
    boto3.client("scheduler", region_name="us-east-1").create_schedule_group(Name=GROUP)
    settings = app.extensions["lifestyle_api.settings"]
    app.extensions["lifestyle_api.settings"] = settings._replace(
        purge_schedule_group=GROUP,
        purge_scheduler_role_arn=ROLE_ARN,
        purge_function_arn=FUNCTION_ARN,
    )
    return boto3.client("scheduler", region_name="us-east-1")


def test_the_deletion_schedules_the_second_pass_which_the_function_runs(
    app, ada, scheduled, monkeypatch
):
    before = datetime.now(UTC).replace(microsecond=0)
    assert ada.delete("/me").status_code == 204
    (summary,) = scheduled.list_schedules(GroupName=GROUP)["Schedules"]
    schedule = scheduled.get_schedule(Name=summary["Name"], GroupName=GROUP)
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    at = datetime.fromisoformat(schedule["ScheduleExpression"][3:-1]).replace(tzinfo=UTC)
    assert before + timedelta(minutes=15) < at <= datetime.now(UTC) + timedelta(minutes=17)
    assert schedule["Target"]["Arn"] == FUNCTION_ARN
    assert schedule["Target"]["RoleArn"] == ROLE_ARN
    event = json.loads(schedule["Target"]["Input"])
    assert event == {"task": "purge-deleted", "userId": ada.sub}

    ada.post("/goals", json=goal_body())  # the old token, still unexpired
    result = run_on_lambda(app, monkeypatch, event, now=at)
    assert result["task"] == "purge-deleted"
    assert result["passes"] == 1
    only_the_tombstone(ada.sub)


def test_a_retried_deletion_schedules_one_pass(ada, scheduled, app):
    from lifestyle_api.accounts.service import cognito_client

    with answering_like_aws(
        cognito_client(app.extensions["lifestyle_api.settings"]), COGNITO_FAILURE
    ):
        assert ada.delete("/me").status_code == 503
    assert ada.delete("/me").status_code == 204
    assert len(scheduled.list_schedules(GroupName=GROUP)["Schedules"]) == 1


def run_on_lambda(app, monkeypatch, event, *, now):
    """`wsgi.handler` as the scheduler invokes it, with the app's settings, at `now`."""
    import wsgi
    from lifestyle_api import db
    from lifestyle_api.accounts import deletion

    settings = app.extensions["lifestyle_api.settings"]
    db.configure(settings.table_name, settings.aws_region, settings.aws_endpoint_url)
    monkeypatch.setattr(wsgi, "app", app)
    monkeypatch.setattr(deletion, "utc_now", lambda: now)
    return wsgi.handler(event, FakeLambdaContext())


def test_a_pass_that_is_not_due_changes_nothing(app, ada, scheduled, monkeypatch):
    assert ada.delete("/me").status_code == 204
    ada.post("/goals", json=goal_body())
    event = {"task": "purge-deleted", "userId": ada.sub}
    result = run_on_lambda(app, monkeypatch, event, now=datetime.now(UTC))
    assert result["passes"] == 0
    assert len(stored(ada.sub)) == 2


def test_a_pass_never_touches_a_live_account(app, ada, scheduled, monkeypatch):
    ada.post("/goals", json=goal_body())
    event = {"task": "purge-deleted", "userId": ada.sub}
    later = datetime.now(UTC) + timedelta(days=1)
    assert run_on_lambda(app, monkeypatch, event, now=later)["passes"] == 0
    assert ada.get("/me").status_code == 200
    assert len(stored(ada.sub)) == 2


def test_the_pass_finishes_a_cognito_deletion_the_client_never_retried(app, ada, pool, purge):
    from lifestyle_api.accounts.service import cognito_client

    app_cognito = cognito_client(app.extensions["lifestyle_api.settings"])
    with answering_like_aws(app_cognito, COGNITO_FAILURE):
        assert ada.delete("/me").status_code == 503
    assert pool.user(EMAIL) is not None
    purge("--grace-minutes", "0")
    assert pool.user(EMAIL) is None
    only_the_tombstone(ada.sub)


def test_a_user_with_claims_only_is_erased_too(app, pool, purge):
    """A caller known only by the gateway's claims, with no Cognito user."""
    settings = app.extensions["lifestyle_api.settings"]
    carol = app.test_client()
    carol.environ_base.update(
        authorizer_environ("carol-sub", client_id=pool.client_id, iss=settings.jwt_issuer)
    )
    carol.post("/goals", json=goal_body())
    assert carol.delete("/me").status_code == 204
    assert carol.get("/me").status_code == 401
    purge("--grace-minutes", "0")
    only_the_tombstone("carol-sub")


def deleted_at(sub: str) -> datetime:
    (tombstone,) = [item for item in stored(sub) if item.serialize().get("deletedAt")]
    return tombstone.deleted_at


def test_the_scheduled_pass_is_due_the_moment_old_access_tokens_expire(
    app, ada, scheduled, monkeypatch, log_output
):
    assert ada.delete("/me").status_code == 204
    ada.post("/goals", json=goal_body())
    due = deleted_at(ada.sub) + ACCESS_TOKEN_LIFETIME
    event = {"task": "purge-deleted", "userId": ada.sub}

    early = run_on_lambda(app, monkeypatch, event, now=due - timedelta(microseconds=1))
    assert (early["passes"], early["itemsRemoved"]) == (0, 0)
    assert len(stored(ada.sub)) == 2
    result = run_on_lambda(app, monkeypatch, event, now=due)
    assert (result["passes"], result["itemsRemoved"]) == (1, 1)
    only_the_tombstone(ada.sub)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (completed,) = [line for line in lines if line["message"] == "Account deletion completed"]
    assert completed["cognito_user_deleted"] is False  # the first pass deleted it


@pytest.mark.parametrize("names_the_user", [True, False], ids=["userId", "every-due-pass"])
def test_the_scheduled_pass_finishes_a_cognito_deletion_and_logs_it(
    app, ada, pool, scheduled, monkeypatch, log_output, names_the_user
):
    from lifestyle_api.accounts.service import cognito_client

    ada.post("/goals", json=goal_body())
    with answering_like_aws(
        cognito_client(app.extensions["lifestyle_api.settings"]), COGNITO_FAILURE
    ):
        assert ada.delete("/me").status_code == 503
    ada.post("/goals", json=goal_body())  # the old token, still unexpired
    assert pool.user(EMAIL) is not None
    due = deleted_at(ada.sub) + ACCESS_TOKEN_LIFETIME
    event = (
        {"task": "purge-deleted", "userId": ada.sub}
        if names_the_user
        else {"task": "purge-deleted"}
    )

    result = run_on_lambda(app, monkeypatch, event, now=due)

    assert (result["passes"], result["itemsRemoved"]) == (1, 1)
    assert pool.user(EMAIL) is None
    only_the_tombstone(ada.sub)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (completed,) = [line for line in lines if line["message"] == "Account deletion completed"]
    assert completed["user_id"] == ada.sub
    assert completed["items_removed"] == 1
    assert completed["cognito_user_deleted"] is True


def test_the_tombstone_takes_a_version_above_the_profiles(ada):
    """A write still holding the profile's version can never replace the tombstone."""
    for name in ("Ada L.", "Ada Lovelace"):
        assert ada.patch("/me", json={"name": name}).status_code == 200
    profile_version = int(ada.get("/me").headers["ETag"].strip('"'))
    assert ada.delete("/me").status_code == 204
    raw = only_the_tombstone(ada.sub, pending=True)
    assert int(raw["version"]["N"]) > profile_version


def test_the_deletion_counts_the_items_of_every_page(ada, monkeypatch, log_output):
    from lifestyle_api.accounts import deletion

    for _ in range(5):
        ada.post("/goals", json=goal_body())
    real_page = deletion.partition_page
    pages = []

    def one_item_pages(sub, **kwargs):
        pages.append(kwargs.get("start_key"))
        assert len(pages) <= 10, "the deletion reads the same page again"
        return real_page(sub, limit=1, **kwargs)

    monkeypatch.setattr(deletion, "partition_page", one_item_pages)
    assert ada.delete("/me").status_code == 204
    only_the_tombstone(ada.sub, pending=True)
    # Five goals and the tombstone, one a page: each page starts where the last one ended.
    assert len(pages) >= 6
    assert len({repr(start_key) for start_key in pages}) == len(pages)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    (deleted,) = [line for line in lines if line["message"] == "Account deleted"]
    assert deleted["user_id"] == ada.sub
    assert deleted["items_deleted"] == 5
    assert deleted["cognito_user_deleted"] is True


def profile_changed_after_the_first_read(monkeypatch, ada):
    """The profile changes (a PATCH from another device) between the deletion's first read
    of the profile's place and its write of the tombstone."""
    from lifestyle_api.accounts import deletion

    real_slot = deletion._profile_slot
    reads = []

    def slot_then_a_change(sub):
        current = real_slot(sub)
        reads.append(current)
        if len(reads) == 1:
            assert ada.patch("/me", json={"name": "Changed meanwhile"}).status_code == 200
        return current

    monkeypatch.setattr(deletion, "_profile_slot", slot_then_a_change)
    return reads


def test_a_profile_changed_during_the_deletion_is_read_again(ada, monkeypatch):
    reads = profile_changed_after_the_first_read(monkeypatch, ada)
    assert ada.delete("/me").status_code == 204
    assert len(reads) == 2
    raw = only_the_tombstone(ada.sub, pending=True)
    # Above the version the change gave the profile, not only the one first read.
    assert int(raw["version"]["N"]) > reads[1].version


def test_a_profile_changed_during_a_deletion_with_if_match_is_412(ada, monkeypatch):
    version = ada.get("/me").headers["ETag"]
    profile_changed_after_the_first_read(monkeypatch, ada)
    assert ada.delete("/me", headers={"If-Match": version}).status_code == 412
    assert ada.get("/me").json["name"] == "Changed meanwhile"


def test_the_profiles_place_is_read_consistently(ada):
    with counting_aws_calls() as calls:
        assert ada.delete("/me").status_code == 204
    profile_key = {"PK": {"S": user_pk(ada.sub)}, "SK": {"S": "PROFILE"}}
    reads = [p for p in calls.parameters("dynamodb", "GetItem") if p["Key"] == profile_key]
    assert reads
    assert all(read.get("ConsistentRead") is True for read in reads)
