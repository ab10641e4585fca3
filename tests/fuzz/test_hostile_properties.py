"""A property of every route, public ones included: no input, however hostile, is answered
with a 5xx (API.md "Input limits"). Hypothesis draws requests from strategies for hostile
strings (lone surrogates, NUL) and numbers (integers past Python's digit limit or the
contract's 30 digits, decimals past DynamoDB's 38 significant digits or its range, NaN and
infinities), placed anywhere in an otherwise valid body, in whole hostile documents, in
the query and in `Idempotency-Key`; each request goes to the app behind a gateway that
passed a test user's claims, with moto for DynamoDB and Cognito. A fixed seed keeps the run
the same from one run to the next."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from lifestyle_api import create_app
from lifestyle_api.db.table import create_table
from tests.support.hostile import (
    hostile_text,
    hostile_values,
    json_documents,
    leaves,
    replaced,
    to_json_text,
)
from tests.support.identity import caller_of
from tests.support.resources import LIST_QUERIES, VALID_BODIES, Resources
from tests.support.routes import Route, app_routes, query_parameters

EXAMPLES_PER_ROUTE = 25
USER = "hostile-sub"
SETTINGS = {
    "TABLE_NAME": "lifestyle-hostile",
    "AWS_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": None,
    "CURSOR_SECRET": "hostile-cursor-secret-of-32-bytes-at-least",
}


@pytest.fixture
def target():
    """The app on moto (an empty table, a user pool), a client calling as the test user, and
    the resources each route's path names."""
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = cognito.create_user_pool(PoolName="hostile")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="hostile",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        app = create_app(
            {**SETTINGS, "COGNITO_USER_POOL_ID": pool_id, "COGNITO_CLIENT_ID": client_id}
        )
        create_table(wait=False)
        client = app.test_client()
        client.environ_base.update(caller_of(app, USER))
        yield client


def hostile_body(draw, valid: dict[str, Any]) -> str:
    """JSON text: the valid body with one value made hostile, a hostile member added, or a
    whole hostile document."""
    shape = draw(st.sampled_from(["replace", "add", "document"]))
    paths = [path for path, _value in leaves(valid) if path]
    if shape == "replace" and paths:
        path = draw(st.sampled_from(paths))
        return to_json_text(replaced(valid, path, draw(hostile_values)))
    if shape == "add":
        return to_json_text({**valid, draw(hostile_text): draw(json_documents)})
    return to_json_text(draw(json_documents))


def hostile_query(draw, route: Route) -> str:
    """A query string; a lone surrogate goes as the bytes a client would send for it (its
    UTF-8-like encoding, which is not UTF-8), since a URL carries bytes, not characters."""
    query = dict(LIST_QUERIES.get(route.shape, {}))
    for name in query_parameters(route):
        if draw(st.booleans()):
            query[name] = draw(st.one_of(hostile_text, st.text(max_size=40)))
    return urlencode(query, errors="surrogatepass")


@pytest.mark.parametrize("route", app_routes(), ids=str)
def test_no_input_is_answered_with_a_5xx(target, route):
    url, params = Resources(target).fill(route)
    maker = VALID_BODIES.get((route.method, route.shape))
    valid = maker(params) if maker else {}

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def property_holds(data):
        draw = data.draw
        headers = {}
        if route.idempotent and draw(st.booleans()):
            headers["HTTP_IDEMPOTENCY_KEY"] = draw(hostile_text)
        body = hostile_body(draw, valid) if route.method in {"POST", "PATCH"} else None
        response = target.open(
            url,
            method=route.method,
            data=body,
            content_type="application/json" if body is not None else None,
            query_string=hostile_query(draw, route),
            environ_overrides=headers,
        )
        assert response.status_code < 500, (route, body, response.get_json())

    property_holds()
