"""Errors that services raise. They know the HTTP status they mean but nothing of Flask.

`errors.py` turns each into API.md's error envelope.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A failure the client can act on; `message` is safe to show."""

    status = 500
    message = "Internal server error."

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


class InvalidInput(ServiceError):
    status = 400
    message = "The request is not valid."


class Unauthorized(ServiceError):
    status = 401
    message = "Authentication is required."


class AccountDeleted(Unauthorized):
    """The token's user deleted their account: a token issued before that reads nothing."""

    message = "This account has been deleted."


class Forbidden(ServiceError):
    status = 403
    message = "This action is not allowed."


class NotFound(ServiceError):
    status = 404
    message = "The resource does not exist."


class Conflict(ServiceError):
    status = 409
    message = "The resource was changed by another request; read it and try again."


class PreconditionFailed(ServiceError):
    status = 412
    message = "The resource has changed since it was read (If-Match does not match)."


class Gone(ServiceError):
    status = 410
    message = "What was asked for is no longer available."


class UnprocessableRequest(ServiceError):
    status = 422
    message = "The request cannot be processed."


class TooManyRequests(ServiceError):
    status = 429
    message = "Too many requests; try again later."

    def __init__(self, message: str | None = None, retry_after: int = 1, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(retry_after))


class ServiceUnavailable(ServiceError):
    status = 503
    message = "A service the API depends on is unavailable; try again shortly."

    def __init__(self, message: str | None = None, retry_after: int = 1, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers.setdefault("Retry-After", str(retry_after))
