"""One container's whole life in a fresh interpreter, for tests that count what it builds.

`python -m tests.support.container` sets up AWS on moto (in-process) through the app's own
admin code (the table, a user pool and its app client), builds the app as `wsgi` does, then
walks every route of its URL map as one user registered through the API: the account
routes on moto's Cognito, the coach on Bedrock (which answers "throttled": moto has no
Converse, and a throttled model is one the app must handle), deleting the account last.
Then it runs every scheduled task. It prints one JSON line: the botocore clients built, by
service, and the status of every request.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tests.support.aws import TEST_REGION, use_fake_credentials

use_fake_credentials()

import botocore.client  # noqa: E402
import botocore.session  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

EMAIL = "walker@example.com"
PASSWORD = "Correct-Horse-9-Battery"
SETTINGS = {
    "TABLE_NAME": "lifestyle-container",
    "AWS_REGION": TEST_REGION,
    "COACH_PROVIDER": "bedrock",
    "LOCAL_AUTO_CONFIRM": True,
}


def count_client_creations() -> Counter[str]:
    """Every botocore client built from now on, by service, whoever builds it."""
    built: Counter[str] = Counter()
    original = botocore.session.Session.create_client

    def counted(session, service_name, *args, **kwargs):
        built[service_name] += 1
        return original(session, service_name, *args, **kwargs)

    botocore.session.Session.create_client = counted
    return built


def bedrock_answers_throttled() -> None:
    original = botocore.client.BaseClient._make_api_call

    def call(client, operation_name, api_params):
        if client.meta.service_model.service_name == "bedrock-runtime":
            error = {"Error": {"Code": "ThrottlingException", "Message": "Slow down."}}
            raise ClientError(error, operation_name)
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = call


def set_up_aws() -> dict[str, Any]:
    """The table and a user pool, made with the admin commands' code (the app's clients)."""
    from lifestyle_api import db
    from lifestyle_api.db.table import create_table
    from migrations_scripts import cognito

    db.configure(SETTINGS["TABLE_NAME"], TEST_REGION, None)
    create_table(wait=False)
    client = cognito.client(TEST_REGION)
    pool_id, _ = cognito.ensure_user_pool(client, "lifestyle-container")
    client_id, _ = cognito.ensure_app_client(client, pool_id, "lifestyle-api")
    return {"COGNITO_USER_POOL_ID": pool_id, "COGNITO_CLIENT_ID": client_id}


def walk(app) -> list[tuple[str, str, int]]:
    """Every route once (deletes last), as the user registered first; `(method, path,
    status)` of each request made."""
    from tests.support.cognito import gateway_environ
    from tests.support.resources import LIST_QUERIES, VALID_BODIES, Resources, valid_body
    from tests.support.routes import app_routes

    anonymous = app.test_client()
    registered = anonymous.post("/auth/register", json={"email": EMAIL, "password": PASSWORD})
    assert registered.status_code == 201, registered.json
    tokens = anonymous.post("/auth/login", json={"email": EMAIL, "password": PASSWORD}).json
    # As the gateway passes a request on: verified claims, the Authorization header kept.
    user = app.test_client()
    user.environ_base.update(gateway_environ(tokens["accessToken"]))
    user.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['accessToken']}"

    resources = Resources(user)
    statuses = []
    # The coach after the logs it reads (with none, it answers without asking a model); the
    # account's deletion last of all.
    routes = sorted(
        app_routes(app),
        key=lambda r: (r.method == "DELETE", r.rule == "/me", r.rule.startswith("/coach")),
    )
    for route in routes:
        path, params = resources.fill(route)
        if route.method == "GET":
            response = user.get(path, query_string=LIST_QUERIES.get(route.shape, {}))
        elif route.shape == "/auth/refresh":
            response = anonymous.post(path, json={"refreshToken": tokens["refreshToken"]})
        elif (route.method, route.shape) in VALID_BODIES:
            response = user.open(path, method=route.method, json=valid_body(route, params))
        else:
            response = user.open(path, method=route.method)
        statuses.append((route.method, path, response.status_code))
    return statuses


def run_tasks(app) -> list[str]:
    from lifestyle_api.http.hooks import current_settings
    from lifestyle_api.scheduled import TASKS, run_scheduled_task

    with app.app_context():
        for name in TASKS:
            run_scheduled_task({"task": name}, current_settings())
    return list(TASKS)


def main() -> None:
    built = count_client_creations()
    bedrock_answers_throttled()
    with mock_aws():
        pool = set_up_aws()
        from lifestyle_api import create_app

        app = create_app({**SETTINGS, **pool})
        statuses = walk(app)
        tasks = run_tasks(app)
    print(json.dumps({"clients": built, "requests": statuses, "tasks": tasks}))


if __name__ == "__main__":
    main()
