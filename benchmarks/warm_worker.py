"""Run by `warm.py` as `python -I -S warm_worker.py MODE TASK_ROOT`: one warm Lambda
container answering the benchmark's requests, from a task root laid out like the image.

MODE `app` is `wsgi.handler`; MODE `plain` is the plain-boto3 handler (`baseline.py`) doing
the same DynamoDB work. Commands come one JSON object a line on stdin, answers go to stdout
on lines starting with `ANSWER` (the app prints its own logs and metrics there too):

- `{"trace": route, "call": n}`: one request; what it asked of DynamoDB (`signature`);
- `{"time": route, "calls": [n, …]}`: one request per call number; wall and CPU ms of each
  that succeeded, and how many did not (an overloaded emulator can time out).

The goal this handler checks in on comes from `BENCH_GOAL_ID`.
"""

import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

mode, task_root = sys.argv[1], sys.argv[2]
sys.path.insert(0, task_root)
sys.path.insert(1, str(Path(__file__).resolve().parent))

import botocore.client  # noqa: E402
import events  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

if mode == "app":
    import wsgi

    handler = wsgi.handler
else:
    from baseline import PlainHandler

    handler = PlainHandler(os.environ["AWS_ENDPOINT_URL"], os.environ["TABLE_NAME"])

routes = events.warm_routes(os.environ["BENCH_GOAL_ID"], datetime.now(UTC).date())
context = events.Context()


def answer(payload) -> None:
    sys.stdout.write("ANSWER " + json.dumps(payload) + "\n")
    sys.stdout.flush()


class ServerError(RuntimeError):
    """A 5xx answer: the emulator failed or was too slow; the call is left out."""


def call(event) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        response = handler(event, context)
    except (BotoCoreError, ClientError) as exc:  # the plain handler lets AWS errors through
        raise ServerError(f"{mode}: {event['rawPath']} failed: {exc}") from exc
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - started_cpu) * 1000
    if response["statusCode"] >= 500:
        raise ServerError(f"{mode}: {event['rawPath']} answered {response}")
    if response["statusCode"] >= 300:
        raise RuntimeError(f"{mode}: {event['rawPath']} answered {response}")
    return elapsed, cpu


# Parameters that name things or carry values, rather than say what a call does; and
# `ReturnConsumedCapacity`, which only asks for a report on the work done.
NAMING = frozenset(
    {
        "TableName",
        "Key",
        "Keys",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnConsumedCapacity",
    }
)
# Options whose absence means a value, so that absent and explicit compare equal.
DEFAULTS = {"ConsistentRead": False, "ScanIndexForward": True}


def signature(operation: str, params: dict) -> list:
    """What one call asks of DynamoDB: the operation, its options (with the values of
    `DEFAULTS`, the key counts of batch reads) and the attribute names of every item it
    writes. Two handlers doing the same work give the same signature."""

    def options(request: dict) -> dict:
        found = {name: True for name in request if name not in NAMING}
        for name, default in DEFAULTS.items():
            found[name] = request.get(name, default)
        found.pop("Item", None)
        if "Keys" in request:
            found["Keys"] = len(request["Keys"])
        return found

    described: list = [operation, options(params)]
    if "Item" in params:
        described.append(sorted(params["Item"]))
    for action in params.get("TransactItems", []):
        ((kind, body),) = action.items()
        described.append([kind, options(body), sorted(body.get("Item", {}))])
    for table_request in params.get("RequestItems", {}).values():
        described.append(options(table_request))
    return described


def traced(event) -> list:
    calls = []
    original = botocore.client.BaseClient._make_api_call

    def record(client, operation_name, api_params):
        calls.append(signature(operation_name, api_params))
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = record
    try:
        call(event)
    finally:
        botocore.client.BaseClient._make_api_call = original
    return calls


answer({"ready": mode})
for line in sys.stdin:
    command = json.loads(line)
    if "trace" in command:
        answer({"calls": traced(routes[command["trace"]](command["call"]))})
    else:
        build = routes[command["time"]]
        samples, failed = [], 0
        for n in command["calls"]:
            try:
                samples.append(call(build(n)))
            except ServerError:
                failed += 1
        answer(
            {
                "ms": [ms for ms, _cpu in samples],
                "cpu_ms": [cpu for _ms, cpu in samples],
                "failed": failed,
            }
        )
