"""`Idempotency-Key` on the POSTs that create something (API.md "Conventions").

A client that retries a create after a lost response sends the same `Idempotency-Key`; the
first response is replayed (status, body, `Location`, `ETag`, plus `Idempotent-Replayed:
true`) and nothing is created twice. The routes say so on their view (`@idempotent`);
request hooks (`http.idempotency`) apply the records kept here, so feature code knows
nothing of it. No Flask here.

One record per key, in the caller's partition (`IDEMPOTENCY#<sha256 of key>`, so deleting
the account removes it and keys of different users never meet):

1. claim: one conditional PutItem that succeeds only if the key is free (no record, an
   expired record, or an in-progress record whose lease ran out: a crashed attempt);
2. if the key is taken, one consistent GetItem decides: another request → 422, still
   running → 409, completed → replay;
3. after the view: a 2xx/3xx response is stored in the record (one PutItem, conditional on
   our claim), an error response or an exception deletes it (one DeleteItem), so a failed
   request does not keep its key.

Cost: 0 extra DynamoDB requests without the header, 2 for a first request (claim and
store, or claim and release), 2 for a replay, a 409 or a 422 (failed claim, read).

Powertools' idempotency utility does not fit: its DynamoDB layer keeps records under one
static partition key (or its own key formats), not in each user's partition, and without a
Lambda context its in-progress records hold the key until the 24 h expiry instead of a
short lease; and it would store our Flask responses as function results.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta

from pynamodb.attributes import (
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import PynamoDBException

from .db import TableItem
from .db.errors import is_condition_failure
from .db.keys import idempotency_sk, user_pk
from .db.retry import retry_attempts
from .exceptions import Conflict, UnprocessableRequest
from .observability import logger
from .records import Record
from .timeutil import utc_now

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
RECORD_LIFETIME = timedelta(hours=24)
# How long a claim blocks the key while its request runs; after that a crashed attempt's
# key is free again. Longer than any request can run (the Lambda times out first).
LEASE = timedelta(seconds=30)
REPLAYED_RESPONSE_HEADERS = ("Location", "ETag")

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


class IdempotencyItem(TableItem, discriminator="idempotency"):
    """`IDEMPOTENCY#<key hash>`: the fingerprint of the first request and, once it
    succeeded, its response."""

    fingerprint = UnicodeAttribute()
    state = UnicodeAttribute()
    claim_token = UnicodeAttribute(attr_name="claimToken")
    lease_expires_at = UTCDateTimeAttribute(attr_name="leaseExpiresAt")
    response_status = NumberAttribute(null=True, attr_name="responseStatus")
    response_body = UnicodeAttribute(null=True, attr_name="responseBody")
    response_headers = MapAttribute(null=True, attr_name="responseHeaders")

    @classmethod
    def key(cls, sub: str, idempotency_key: str) -> tuple[str, str]:
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()
        return user_pk(sub), idempotency_sk(digest)

    def is_live(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at > now

    def is_running(self, now: datetime) -> bool:
        return self.state == IN_PROGRESS and self.lease_expires_at > now


class Replay(Record):
    """A completed record: the response to send again."""

    status: int
    body: str
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same": method, path and the JSON body with sorted keys."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (ValueError, RecursionError):
        canonical = body  # not JSON: the request will be refused anyway, compare bytes
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def claim(
    sub: str, idempotency_key: str, request_fingerprint: str, *, now: datetime | None = None
) -> IdempotencyItem | Replay:
    """Take the key for this request, or say why not (`Replay`, 409, 422)."""
    for _attempt in retry_attempts():
        now = now or utc_now()
        record = IdempotencyItem(
            *IdempotencyItem.key(sub, idempotency_key),
            fingerprint=request_fingerprint,
            state=IN_PROGRESS,
            claim_token=uuid.uuid4().hex,
            lease_expires_at=now + LEASE,
            created_at=now,
            expires_at=now + RECORD_LIFETIME,
        )
        key_is_free = (
            IdempotencyItem.pk.does_not_exist()
            | (IdempotencyItem.expires_at <= now)
            | ((IdempotencyItem.state == IN_PROGRESS) & (IdempotencyItem.lease_expires_at <= now))
        )
        try:
            record.save(condition=key_is_free, add_version_condition=False)
            return record
        except PynamoDBException as exc:
            if not is_condition_failure(exc):
                raise
        existing = _find(sub, idempotency_key)
        if existing is None or not existing.is_live(now):
            now = None  # released or expired since the claim: try again
            continue
        if existing.fingerprint != request_fingerprint:
            raise UnprocessableRequest(
                "This Idempotency-Key was already used with another request; "
                "use a new key for a new request."
            )
        if existing.state == COMPLETED:
            return Replay(
                status=int(existing.response_status),
                body=existing.response_body or "",
                headers=dict(existing.response_headers.as_dict())
                if existing.response_headers
                else {},
            )
        if existing.is_running(now):
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                headers={"Retry-After": "1"},
            )
        now = None  # its lease has just run out: try again
    raise Conflict("This Idempotency-Key is busy; retry shortly.", headers={"Retry-After": "1"})


def complete(record: IdempotencyItem, status: int, body: str, headers: dict[str, str]) -> None:
    """Keep the response of the request that holds the claim, for 24 h."""
    token = record.claim_token
    record.state = COMPLETED
    record.response_status = status
    record.response_body = body
    record.response_headers = headers
    try:
        record.save(condition=IdempotencyItem.claim_token == token, add_version_condition=False)
    except PynamoDBException as exc:
        # The response has been produced; failing to remember it must not turn it into an
        # error. A retry then finds the claim (409) until the lease ends.
        logger.warning(
            "Idempotency record not stored",
            extra={"condition_failed": is_condition_failure(exc)},
        )


def release(record: IdempotencyItem) -> None:
    """Give the key back after a failed request (if the claim is still ours)."""
    try:
        record.delete(
            condition=IdempotencyItem.claim_token == record.claim_token,
            add_version_condition=False,
        )
    except PynamoDBException as exc:
        if not is_condition_failure(exc):
            logger.warning("Idempotency record not released; its lease will free the key")


def _find(sub: str, idempotency_key: str) -> IdempotencyItem | None:
    try:
        return IdempotencyItem.get(*IdempotencyItem.key(sub, idempotency_key), consistent_read=True)
    except IdempotencyItem.DoesNotExist:
        return None
