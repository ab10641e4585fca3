"""AWS failures injected at botocore's `before-send` event, below the SDK's retry loop.

botocore's Stubber answers before the retry handler runs, so it cannot show retries; a
`before-send` handler answers in place of the HTTP call, so each attempt the SDK makes
(its bounded retries included) meets the fault and is counted. The handler is attached
to every botocore client on its next call (PynamoDB's models each hold their own), in
front of moto's own `before-send` handler, which then ignores the request.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import botocore.client
import botocore.retries.standard
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

HANDLER_ID = "tests-aws-faults"
UNROUTABLE_URL = "https://fault-injected.invalid/"


class RawBody:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs: Any):
        yield self.body


@dataclass
class Fault:
    service: str
    operation: str | None
    code: str | None
    status: int
    times: int | None
    extra: dict[str, Any] = field(default_factory=dict)
    matching: str | None = None
    injected: int = 0
    # Raised in place of an answer (no AWS error code): a refused connection, a timeout.
    raises: type[Exception] = EndpointConnectionError

    def applies(self, service: str, operation: str, body: bytes) -> bool:
        if self.service != service or self.operation not in (None, operation):
            return False
        if self.matching is not None and self.matching.encode() not in body:
            return False
        return self.times is None or self.injected < self.times


class AwsFaults:
    """`with AwsFaults() as faults: faults.fail("dynamodb", "GetItem", code=…)`.

    `faults.attempts[("dynamodb", "GetItem")]` counts every attempt the SDK made;
    `faults.injected` counts those that met a fault.
    """

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.attempts: Counter[tuple[str, str]] = Counter()
        self.injected: Counter[tuple[str, str]] = Counter()
        self._clients: list[Any] = []
        self._original_call = None
        self._original_delay = None

    def fail(
        self,
        service: str,
        operation: str | None = None,
        *,
        code: str,
        status: int = 400,
        times: int | None = None,
        matching: str | None = None,
        **extra: Any,
    ) -> Fault:
        """Answer `operation` (every one if None) with the AWS error `code`, the first `times`
        attempts (all if None) whose request body contains `matching` (any if None)."""
        fault = Fault(service, operation, code, status, times, extra, matching)
        self.faults.append(fault)
        return fault

    def unreachable(self, service: str, operation: str | None = None, *, times=None) -> Fault:
        """Fail `operation` as if the endpoint refused the connection."""
        fault = Fault(service, operation, None, 0, times)
        self.faults.append(fault)
        return fault

    def times_out(self, service: str, operation: str | None = None, *, times=None) -> Fault:
        """Fail `operation` as if the answer took longer than the client's read timeout."""
        fault = Fault(service, operation, None, 0, times, raises=ReadTimeoutError)
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    @property
    def total_injected(self) -> int:
        return sum(self.injected.values())

    def __enter__(self) -> AwsFaults:
        self._original_call = botocore.client.BaseClient._make_api_call
        self._original_delay = botocore.retries.standard.ExponentialBackoff.delay_amount
        original_call = self._original_call
        injector = self

        def attach_then_call(client, operation_name, api_params):
            injector._attach(client)
            return original_call(client, operation_name, api_params)

        botocore.client.BaseClient._make_api_call = attach_then_call
        # The retries still happen, without their sleeps.
        botocore.retries.standard.ExponentialBackoff.delay_amount = lambda _self, _ctx: 0
        return self

    def __exit__(self, *exc: object) -> None:
        botocore.client.BaseClient._make_api_call = self._original_call
        botocore.retries.standard.ExponentialBackoff.delay_amount = self._original_delay
        for client, event in self._clients:
            client.meta.events.unregister(event, unique_id=HANDLER_ID)
        self._clients.clear()

    def _attach(self, client) -> None:
        if any(known is client for known, _event in self._clients):
            return
        service = client.meta.service_model.service_name
        event = f"before-send.{client.meta.service_model.service_id.hyphenize()}"

        def before_send(request, event_name: str, **_kwargs: Any):
            operation = event_name.rsplit(".", 1)[-1]
            self.attempts[(service, operation)] += 1
            body = request.body or b""
            body = body.encode() if isinstance(body, str) else body
            fault = next((f for f in self.faults if f.applies(service, operation, body)), None)
            if fault is None:
                return None
            fault.injected += 1
            self.injected[(service, operation)] += 1
            if fault.code is None:
                raise fault.raises(endpoint_url=request.url)
            body = {"__type": fault.code, "message": f"Injected {fault.code}", **fault.extra}
            request.url = UNROUTABLE_URL  # so moto's handler, called after this one, skips it
            return AWSResponse(
                UNROUTABLE_URL,
                fault.status,
                {
                    "Content-Type": "application/x-amz-json-1.0",
                    "x-amzn-RequestId": "injected-fault",
                },
                RawBody(json.dumps(body).encode()),
            )

        client.meta.events.register_first(event, before_send, unique_id=HANDLER_ID)
        self._clients.append((client, event))
