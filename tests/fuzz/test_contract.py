"""Contract fuzzing: schemathesis generates valid and invalid requests for every operation
of the served OpenAPI document and sends them in-process over WSGI, authenticated as a
test user, with a fixed seed and a bounded number of examples per operation. No response
may be a 5xx, every response must match its documented status, headers and schema, and
invalid input must be refused (in a batch, item by item, as API.md says)."""

from __future__ import annotations

import boto3
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from moto import mock_aws
from schemathesis.specs.openapi.checks import negative_data_rejection

from lifestyle_api import create_app
from lifestyle_api.accounts.service import cognito_client
from lifestyle_api.db.table import create_table
from tests.support.cognito import NO_SUCH_ACCOUNT, answering_like_aws
from tests.support.identity import TEST_CLIENT_ID, JwksServer, SigningKey, authorizer_environ

EXAMPLES_PER_OPERATION = 25
FUZZ_USER = "fuzz-sub"
FUZZ_TOKEN = "fuzz-user-access-token"
ISSUER = "https://issuer.example.com/fuzz"
BASE_SETTINGS = {
    "TABLE_NAME": "lifestyle-fuzz",
    "AWS_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": None,
    "CURSOR_SECRET": "fuzz-cursor-secret",
    "JWT_ISSUER": ISSUER,
    "COGNITO_CLIENT_ID": TEST_CLIENT_ID,
}


class Target:
    """The app requests go to: one per test, built inside moto by `fuzz_app`."""

    app = create_app(BASE_SETTINGS)  # serves the OpenAPI document while tests are collected
    client_id = TEST_CLIENT_ID


def behind_the_authorizer(environ, start_response):
    """The app behind API Gateway's JWT authorizer, for which only FUZZ_TOKEN is valid:
    it passes the fuzz user's claims for that token and nothing for any other, so requests
    with no or another token reach the app's own bearer check (and get 401)."""
    if environ.get("HTTP_AUTHORIZATION") == f"Bearer {FUZZ_TOKEN}":
        environ.update(authorizer_environ(FUZZ_USER, client_id=Target.client_id, iss=ISSUER))
    return Target.app(environ, start_response)


schema = schemathesis.openapi.from_wsgi("/openapi.json", behind_the_authorizer)
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
)
# Schema-valid is not always valid: cursors are opaque (only the server's own are accepted)
# and some rules span fields (a target goal needs a target, endDate >= startDate), which
# OpenAPI 3.0 cannot state. Every other check runs, negative data rejection included.
schema.config.checks.update(excluded_check_names=["positive_data_acceptance"])
# An If-Match that names no version never matches: 412, as for a stale one (RFC 9110).
rejection = schema.config.checks.negative_data_rejection
rejection.expected_statuses = [*rejection.expected_statuses, "412"]


@pytest.fixture(scope="module")
def jwks():
    """Keys for bearer tokens: the app verifies, and refuses, every token but its own."""
    with JwksServer([SigningKey()]) as server:
        yield server


@pytest.fixture(autouse=True)
def fuzz_app(jwks):
    """moto in-process with an empty table and a Cognito user pool, and an app using them.
    The pool has no accounts; where moto's answer about a missing account is not Cognito's,
    the app's Cognito client gets Cognito's (`NO_SUCH_ACCOUNT`)."""
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = cognito.create_user_pool(PoolName="fuzz")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="fuzz",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        Target.client_id = client_id
        Target.app = create_app(
            {
                **BASE_SETTINGS,
                "COGNITO_USER_POOL_ID": pool_id,
                "COGNITO_CLIENT_ID": client_id,
                "JWKS_URL": jwks.jwks_url,
                "JWT_ISSUER": ISSUER,
            }
        )
        create_table(wait=False)
        app_cognito = cognito_client(Target.app.extensions["lifestyle_api.settings"])
        with answering_like_aws(app_cognito, NO_SUCH_ACCOUNT):
            yield


# API.md: `POST /metrics/batch` validates each item on its own; an invalid item is answered
# `invalid` in its result (200), and never spoils the others. So a batch whose only invalid
# data lies in its items is rejected item by item rather than with a 4xx.
PER_ITEM_OPERATIONS = {"POST /metrics/batch"}


def negative_items_rejection(ctx, response, case):
    """`negative_data_rejection`, where a 200 must answer `invalid` for each item the
    documented item schema refuses (and a batch with no such item is judged as usual)."""
    body = case.body if isinstance(case.body, dict) else {}
    items = body.get("items") if isinstance(body.get("items"), list) else []
    (documented,) = list(case.operation.body)
    refused = [
        index
        for index, item in enumerate(items)
        if not documented.is_valid({**body, "items": [item]})
    ]
    if response.status_code != 200 or not refused:
        return negative_data_rejection(ctx, response, case)
    results = response.json()["results"]
    accepted = [i for i in refused if results[i]["status"] != "invalid"]
    assert not accepted, f"Items {accepted} violate the item schema, yet were not `invalid`."
    return True


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case):
    # The fuzz user's token replaces whatever token was generated; a request generated
    # without the header (a negative case) is sent without one, and must get its 401.
    generated = case.headers or {}
    headers = {"Authorization": f"Bearer {FUZZ_TOKEN}"} if "Authorization" in generated else {}
    if case.operation.label in PER_ITEM_OPERATIONS:
        case.call_and_validate(
            headers=headers,
            excluded_checks=[negative_data_rejection],
            additional_checks=[negative_items_rejection],
        )
    else:
        case.call_and_validate(headers=headers)
