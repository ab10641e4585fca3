"""Coach fixtures: a fixed clock, a stand-in for the gatherer of the days' figures, the JSON
log, and the Bedrock client under botocore's Stubber (no test ever reaches the network)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from moto.core.models import botocore_stubber as moto_stubber

from lifestyle_api.coach import service
from lifestyle_api.coach.bedrock import bedrock_client
from lifestyle_api.coach.context import DayFigures
from tests.coach.days import week_figures
from tests.support.aws import TEST_REGION

# Thursday of the week 2026-11-23 .. 2026-11-29, mid-morning in UTC.
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
WEEK_START = date(2026, 11, 23)
MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The coach's "now" (the rest of the app keeps the real clock)."""
    fixed = Clock(NOW)
    monkeypatch.setattr(service, "utc_now", lambda: fixed.now)
    return fixed


@dataclass
class LoggedDays:
    """The days' figures per user and day; the gatherer answers from them."""

    by_user: dict[str, dict[str, DayFigures]] = field(default_factory=dict)
    requests: list[tuple[str, str, date]] = field(default_factory=list)

    def set(self, sub: str, *days: DayFigures) -> None:
        self.by_user.setdefault(sub, {}).update({d.day.isoformat(): d for d in days})

    def gather(self, sub: str, period: str, start: date) -> list[DayFigures]:
        self.requests.append((sub, period, start))
        logged = self.by_user.get(sub, {})
        days = week_figures(start, logged)
        return days[:1] if period == "day" else days


@pytest.fixture
def logged_days(monkeypatch) -> LoggedDays:
    """Stands in for the summaries (the gatherer only; the rules run for real)."""
    data = LoggedDays()
    monkeypatch.setattr(service, "period_days", data.gather)
    return data


def log_records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]


class _RawBody:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs):
        yield self._body


@dataclass
class FakeBedrock:
    """The app's bedrock-runtime client, stubbed: answers are queued with `answer()`, what
    the app sent is in `requests`; `on_send()` replaces the HTTP exchange itself."""

    client: Any
    stubber: Stubber
    requests: list[dict[str, Any]] = field(default_factory=list)
    send_hooks: list[Any] = field(default_factory=list)

    def answer(self, response: dict[str, Any]) -> None:
        self.stubber.add_response("converse", response)

    def error(self, code: str, status: int) -> None:
        self.stubber.add_client_error("converse", service_error_code=code, http_status_code=status)

    def on_send(self, hook) -> None:
        """Take the stubber off and let `hook(request)` answer (or raise) instead of HTTP."""
        self.stubber.deactivate()
        self.client.meta.events.register_first("before-send.bedrock-runtime.Converse", hook)
        self.send_hooks.append(hook)

    def http_error(self, status: int, code: str, message: str = "slow down") -> None:
        """Answer every request with an AWS error response, as the service would."""

        def respond(request, **_kwargs):
            body = json.dumps({"message": message}).encode()
            headers = {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/"}
            return AWSResponse(request.url, status, headers, _RawBody(body))

        self.on_send(respond)


@pytest.fixture
def bedrock(app) -> FakeBedrock:
    client = bedrock_client(TEST_REGION)
    fake = FakeBedrock(client, Stubber(client))

    def record(params, **_kwargs):
        fake.requests.append(json.loads(json.dumps(params)))

    def no_network(request, **_kwargs):
        # Every before-send handler runs; a send hook, when there is one, has answered.
        if not fake.send_hooks:
            raise AssertionError(f"a test tried to reach {request.url}")

    events = client.meta.events
    # moto answers Converse with NotImplementedError after our send hooks have answered
    # (every before-send handler runs); this client talks to the stubs only.
    events.unregister("before-send", moto_stubber)
    events.register("before-parameter-build.bedrock-runtime.Converse", record)
    events.register("before-send.bedrock-runtime", no_network)
    fake.stubber.activate()
    yield fake
    fake.stubber.deactivate()
    events.unregister("before-parameter-build.bedrock-runtime.Converse", record)
    events.unregister("before-send.bedrock-runtime", no_network)
    for hook in fake.send_hooks:
        events.unregister("before-send.bedrock-runtime.Converse", hook)
    events.register("before-send", moto_stubber)
