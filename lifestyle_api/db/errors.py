"""What a DynamoDB (or other AWS) failure means, decided in one place.

- `is_condition_failure`: a write's condition failed, or a transaction was cancelled
  because one of its conditions failed or another transaction held an item: read again;
- `is_retryable`: throttling, AWS-side failures and unreachable endpoints: try again later;
- `cancellation_codes`: the per-item reasons of a cancelled transaction, in item order;
- `response_code`: the AWS error code behind a PynamoDB error, if AWS answered at all.
"""

from __future__ import annotations

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from pynamodb.exceptions import PynamoDBException, TransactWriteError

# Error codes from AWS that mean "slow down or try again", never the client's fault.
RETRYABLE_AWS_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalErrorException",
        "TransactionInProgressException",
        "TooManyRequestsException",
        # Reasons a transaction was cancelled (they carry no "Exception" suffix).
        "ThrottlingError",
        "ProvisionedThroughputExceeded",
    }
)
CONDITION_FAILED = "ConditionalCheckFailedException"
# A cancelled transaction's per-item reason for a failed condition.
ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
# A transaction's per-item reasons: its condition failed, or another transaction held the
# item; either way the client should read again and retry (409).
TRANSACTION_CONFLICTS = frozenset({ITEM_CONDITION_FAILED, "TransactionConflict"})


def cancellation_codes(exc: TransactWriteError) -> list[str | None]:
    """Each item's cancellation reason code (`None` where the item was not the cause)."""
    return [reason.code if reason else None for reason in exc.cancellation_reasons]


def response_code(exc: PynamoDBException) -> str | None:
    """The AWS error code behind `exc`; `None` when no answer came (a timeout or a refused
    connection). PynamoDB's `cause_response_code` raises for a timeout, whose `response`
    is `None`."""
    response = getattr(exc.cause, "response", None) or {}
    return response.get("Error", {}).get("Code")


def is_condition_failure(exc: PynamoDBException) -> bool:
    if isinstance(exc, TransactWriteError):
        return any(code in TRANSACTION_CONFLICTS for code in cancellation_codes(exc))
    return response_code(exc) == CONDITION_FAILED


def is_retryable(exc: BaseException) -> bool:
    """Throttling, AWS-side failures and unreachable endpoints: the client may retry."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, BotocoreConnectionError | HTTPClientError):
            return True
        if isinstance(exc, ClientError):
            return exc.response.get("Error", {}).get("Code") in RETRYABLE_AWS_CODES
        if isinstance(exc, TransactWriteError) and any(
            code in RETRYABLE_AWS_CODES for code in cancellation_codes(exc)
        ):
            return True
        exc = getattr(exc, "cause", None) or exc.__cause__
    return False
