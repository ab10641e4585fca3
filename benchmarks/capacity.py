"""DynamoDB requests per call, and the capacity units they would consume on AWS.

moto reports a constant consumed capacity, so units are computed here from the sizes of
the items read and written, with DynamoDB's published rules: reads in 4 KB units
(strongly consistent; eventually consistent reads cost half), writes in 1 KB units, both
doubled inside transactions, and every write also paying for each local or global index
entry it adds or changes (this table projects everything into its local indexes).
"""

from __future__ import annotations

import copy
import math
import threading
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import botocore.client

READ_UNIT = 4096
WRITE_UNIT = 1024
INDEX_KEYS = ("LSI1SK", "LSI2SK", "LSI3SK", "GSI1PK")


def attribute_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value in DynamoDB's low-level JSON form."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = len(str(Decimal(inner)).replace("-", "").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(v.encode()) for v in inner)
    if kind == "NS":
        return sum(attribute_size({"N": v}) for v in inner)
    if kind == "L":
        return 3 + sum(attribute_size(v) + 1 for v in inner)
    if kind == "M":
        return 3 + sum(len(k.encode()) + attribute_size(v) + 1 for k, v in inner.items())
    return 0


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def read_units(sizes: list[int], *, consistent: bool, per_item: bool) -> float:
    if per_item:
        units = sum(math.ceil(max(size, 1) / READ_UNIT) for size in sizes)
    else:  # a Query reads its items as one stream, rounded up once
        units = math.ceil(max(sum(sizes), 1) / READ_UNIT)
    return units if consistent else units / 2


def write_units(item: dict[str, Any]) -> int:
    size = item_size(item)
    base = math.ceil(max(size, 1) / WRITE_UNIT)
    return base * (1 + sum(1 for key in INDEX_KEYS if key in item))


class Meter:
    """Counts DynamoDB requests and the capacity they would consume (from any thread: the
    reminders pass runs its shards on threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.read_units = 0.0
        self.write_units = 0.0
        self.known_sizes: dict[tuple[str, str], dict[str, Any]] = {}
        self.answers: list[tuple[str, dict[str, Any]]] = []

    def reset(self) -> None:
        self.requests.clear()
        self.answers.clear()
        self.read_units = 0.0
        self.write_units = 0.0

    def record(self, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        self.requests[operation] += 1
        self.answers.append((operation, response))
        consistent = bool(params.get("ConsistentRead"))
        if operation == "GetItem":
            item = response.get("Item")
            self._remember(item)
            self.read_units += read_units(
                [item_size(item or {})], consistent=consistent, per_item=True
            )
        elif operation == "BatchGetItem":
            items = [i for rows in response.get("Responses", {}).values() for i in rows]
            for item in items:
                self._remember(item)
            requested = sum(len(t["Keys"]) for t in params["RequestItems"].values())
            sizes = [item_size(i) for i in items] + [1] * (requested - len(items))
            self.read_units += read_units(sizes, consistent=consistent, per_item=True)
        elif operation in ("Query", "Scan"):
            items = response.get("Items", [])
            sizes = [item_size(i) for i in items]
            scanned = response.get("ScannedCount", len(items))
            if scanned > len(items) and sizes:  # filtered items were read too
                sizes += [sum(sizes) // len(sizes)] * (scanned - len(items))
            self.read_units += read_units(sizes, consistent=consistent, per_item=False)
        elif operation == "PutItem":
            self.write_units += write_units(params["Item"])
            self._remember(params["Item"])
        elif operation in ("UpdateItem", "DeleteItem"):
            self.write_units += write_units(self._stored(params["Key"]))
        elif operation == "BatchWriteItem":
            for requests in params["RequestItems"].values():
                for request in requests:
                    put = request.get("PutRequest")
                    item = put["Item"] if put else self._stored(request["DeleteRequest"]["Key"])
                    self.write_units += write_units(item)
        elif operation == "TransactWriteItems":
            for action in params["TransactItems"]:
                ((kind, body),) = action.items()
                if kind == "ConditionCheck":
                    self.read_units += 2 * read_units(
                        [item_size(self._stored(body["Key"]))], consistent=True, per_item=True
                    )
                    continue
                item = body["Item"] if kind == "Put" else self._stored(body["Key"])
                self.write_units += 2 * write_units(item)

    def _remember(self, item: dict[str, Any] | None) -> None:
        if item and "PK" in item and "SK" in item:
            self.known_sizes[(item["PK"]["S"], item["SK"]["S"])] = item

    def _stored(self, key: dict[str, Any]) -> dict[str, Any]:
        """The item as last read, for updates and deletes (their size sets their cost)."""
        return self.known_sizes.get((key["PK"]["S"], key["SK"]["S"]), key)


@contextmanager
def metering():
    meter = Meter()
    original = botocore.client.BaseClient._make_api_call

    def metered(client, operation_name, api_params):
        response = original(client, operation_name, api_params)
        if client.meta.service_model.endpoint_prefix == "dynamodb":
            with meter.lock:
                meter.record(operation_name, api_params, response)
        return response

    botocore.client.BaseClient._make_api_call = metered
    try:
        yield meter
    finally:
        botocore.client.BaseClient._make_api_call = original


@contextmanager
def replaying(answers: list[tuple[str, dict[str, Any]]]):
    """Answer DynamoDB calls with recorded responses, in order, without any network: what is
    left of a request's time is the app's own work."""
    original = botocore.client.BaseClient._make_api_call
    position = 0

    def replayed(client, operation_name, api_params):
        nonlocal position
        if client.meta.service_model.endpoint_prefix != "dynamodb":
            return original(client, operation_name, api_params)
        operation, response = answers[position % len(answers)]
        if operation != operation_name:
            raise RuntimeError(f"replay expected {operation}, the app called {operation_name}")
        position += 1
        return copy.deepcopy(response)

    botocore.client.BaseClient._make_api_call = replayed
    try:
        yield
    finally:
        botocore.client.BaseClient._make_api_call = original
