"""Fake AWS credentials and a DynamoDB request counter."""

from __future__ import annotations

import os
from collections import Counter
from contextlib import contextmanager

import botocore.client

TEST_REGION = "us-east-1"


def use_fake_credentials() -> None:
    """No test may reach AWS: fake credentials and no endpoint from the environment."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION=TEST_REGION,
        AWS_REGION=TEST_REGION,
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("AWS_PROFILE", None)


class CallCounter:
    """Counts AWS API calls by operation, e.g. `counter.dynamodb == {"GetItem": 1}`, and keeps
    each call's parameters (`counter.parameters("dynamodb", "GetItem")`)."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        self.made: list[tuple[str, str, dict]] = []

    def parameters(self, service: str, operation: str) -> list[dict]:
        return [params for svc, op, params in self.made if (svc, op) == (service, operation)]

    def for_service(self, service: str) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.calls.items() if svc == service})

    @property
    def dynamodb(self) -> Counter[str]:
        return self.for_service("dynamodb")

    @property
    def dynamodb_requests(self) -> int:
        return sum(self.dynamodb.values())

    def reset(self) -> None:
        self.calls.clear()
        self.made.clear()


@contextmanager
def counting_aws_calls():
    counter = CallCounter()
    original = botocore.client.BaseClient._make_api_call

    def counted(client, operation_name, api_params):
        service = client.meta.service_model.endpoint_prefix
        counter.calls[(service, operation_name)] += 1
        counter.made.append((service, operation_name, api_params))
        return original(client, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = counted
    try:
        yield counter
    finally:
        botocore.client.BaseClient._make_api_call = original
