"""One retry policy for every loop that tries a DynamoDB write again.

A write that lost a race (a failed condition, a cancelled transaction) or left items
unprocessed reads again and retries, with full-jitter exponential backoff between
attempts so that writers that collided do not collide again in step:

    for _attempt in retry_attempts():
        ...
        if it worked:
            return
    raise Conflict()
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from ..records import Record


class RetryPolicy(Record):
    attempts: int
    base_delay_seconds: float
    max_delay_seconds: float

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0 for the first retry)."""
        ceiling = min(self.base_delay_seconds * 2**retry, self.max_delay_seconds)
        return random.uniform(0, ceiling)  # noqa: S311 (jitter, not security)


# Short enough for a request path: the whole loop waits well under a second on average.
WRITE_RETRY = RetryPolicy(attempts=5, base_delay_seconds=0.02, max_delay_seconds=0.5)


def retry_attempts(policy: RetryPolicy | None = None) -> Iterator[int]:
    """Attempt numbers 0, 1, …; waits the policy's backoff before every attempt but the first."""
    policy = policy or WRITE_RETRY
    for attempt in range(policy.attempts):
        if attempt:
            time.sleep(policy.delay(attempt - 1))
        yield attempt
