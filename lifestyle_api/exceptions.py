"""Errors that services raise. They know the HTTP status they mean but nothing of Flask.

Each error class states its status and default message as class arguments:
`class NotFound(ServiceError, status=404, message="…")`. `http/envelope.py` turns each into
API.md's error envelope.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A failure the client can act on; `message` is safe to show."""

    status = 500
    message = "Internal server error."

    def __init_subclass__(
        cls, *, status: int | None = None, message: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if message is not None:
            cls.message = message

    def __init__(
        self,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details
        self.headers = headers or {}


class RetryLater(ServiceError):
    """A failure that passes: the answer says when to try again (`Retry-After`, seconds)."""

    def __init__(self, message: str | None = None, retry_after: int = 1, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(retry_after))


class InvalidInput(ServiceError, status=400, message="The request is not valid."):
    """The request breaks a rule of its own (`details` names the fields)."""


class Unauthorized(ServiceError, status=401, message="Authentication is required."):
    """No valid token."""


class AccountDeleted(Unauthorized, message="This account has been deleted."):
    """The token's user deleted their account: a token issued before that reads nothing."""


class Forbidden(ServiceError, status=403, message="This action is not allowed."):
    """An authenticated caller, or an account, that may not do this (yet)."""


class NotFound(ServiceError, status=404, message="The resource does not exist."):
    """Nothing of the caller's by that id."""


CONFLICT_MESSAGE = "The resource was changed by another request; read it and try again."
PRECONDITION_MESSAGE = "The resource has changed since it was read (If-Match does not match)."
UNAVAILABLE_MESSAGE = "A service the API depends on is unavailable; try again shortly."


class Conflict(ServiceError, status=409, message=CONFLICT_MESSAGE):
    """The request collides with what is stored."""


class Gone(ServiceError, status=410, message="What was asked for is no longer available."):
    """What the request refers to is no longer kept (a sync position too old, say)."""


class PreconditionFailed(ServiceError, status=412, message=PRECONDITION_MESSAGE):
    """`If-Match` names a version that is not the current one."""


class UnprocessableRequest(ServiceError, status=422, message="The request cannot be processed."):
    """A well-formed request the server will not carry out (an `Idempotency-Key` reused for
    another request, say)."""


class TooManyRequests(RetryLater, status=429, message="Too many requests; try again later."):
    """The caller has asked too often."""


class ServiceUnavailable(RetryLater, status=503, message=UNAVAILABLE_MESSAGE):
    """A service the API depends on did not answer."""
