"""The coach's service: insights and goal suggestions for one user and period. No Flask here.

An answer comes from the cache when the period already has a fresh one; else the period's
data is gathered (daily summaries, goals with progress, the profile's targets), the
configured provider answers (`bedrock`, falling back to `rules` on any failure, or `rules`),
and the answer is cached. DynamoDB requests per call:

- cached: 1 (BatchGetItem: profile + cached answer);
- not cached: 6 (that BatchGetItem, 3 for the summaries, 1 Query for the goals, 1 PutItem);
- `refresh`: 7 (UpdateItem of the refresh counter, GetItem of the profile, 3 + 1 + 1).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import marshmallow as ma

from ..config import Settings
from ..db.keys import user_pk
from ..db.query import query_page
from ..db.reads import read_with_profile, timezone_of
from ..goals.models import GoalItem
from ..goals.schemas import GoalSchema
from ..goals.service import attach_progress
from ..observability import logger
from ..timeutil import format_instant, today_in, utc_now
from . import cache
from .context import DAY, INSIGHTS, SUGGESTIONS, WEEK, CoachContext, DayFigures, period_start
from .schemas import response_schema

if TYPE_CHECKING:
    from ..profile.models import ProfileItem

DISCLAIMER = (
    "General lifestyle coaching based on the data you logged; not medical advice. For any "
    "health concern, talk to a doctor or another qualified health professional."
)
# One Query page: the coach looks at the user's newest goals, however many there are.
GOALS_LIMIT = 100
SUGGESTIONS_PERIOD = WEEK


def insights(
    sub: str, period: str, *, refresh: bool, settings: Settings, now: datetime | None = None
) -> dict[str, Any]:
    """`{insights, source, model, generatedAt, disclaimer}` for `period` (day or week)."""
    return answer(sub, INSIGHTS, period, refresh=refresh, settings=settings, now=now)


def goal_suggestions(
    sub: str, *, refresh: bool, settings: Settings, now: datetime | None = None
) -> dict[str, Any]:
    """`{suggestions, source, model, generatedAt, disclaimer}` from this week so far."""
    return answer(sub, SUGGESTIONS, SUGGESTIONS_PERIOD, refresh=refresh, settings=settings, now=now)


def answer(
    sub: str,
    kind: str,
    period: str,
    *,
    refresh: bool,
    settings: Settings,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The answer of `kind` (loaded through its response schema) for the current period."""
    now = now or utc_now()
    schema = response_schema(kind)
    if refresh:
        cache.take_refresh(sub, now)
        profile = read_with_profile(sub, None).profile
    else:
        profile, cached = cache.lookup(sub, kind, period, now)
        if cached is not None:
            try:
                return schema.load(cached)
            except ma.ValidationError:
                pass  # cached in an older shape: answer afresh
    timezone = timezone_of(profile)
    context = gather_context(sub, period, timezone, daily_targets(profile), now)
    content, source, model = generate(kind, context, settings)
    body = {
        **content,
        "source": source,
        "model": model,
        "generatedAt": format_instant(now.replace(microsecond=0)),
        "disclaimer": DISCLAIMER,
    }
    result = schema.load(body)
    start = context.period_start
    cache.store(
        sub,
        kind,
        period,
        start,
        schema.dump(result),
        expires_at=cache.expiry(period, start, timezone, source=source, now=now),
        now=now,
    )
    return result


def generate(kind: str, context: CoachContext, settings: Settings) -> tuple[dict, str, str]:
    """`(content, source, model)`: the model's answer when it gives a usable one, else the
    rules'. With nothing logged and no goals there is nothing to ask the model about."""
    if settings.coach_provider.lower() == "bedrock" and not context.is_empty:
        from . import bedrock

        model_id = settings.bedrock_model_id
        try:
            content = bedrock.generate(kind, context, model_id=model_id, region=settings.aws_region)
        except bedrock.ModelAnswerRejected as rejected:
            _log_fallback(kind, model_id, rejected.reason, rejected.__cause__ or rejected)
        except Exception as exc:  # any failure of the model path is answered by the rules
            _log_fallback(kind, model_id, "error", exc)
        else:
            return content, "bedrock", model_id
    from . import playbook  # on first use, not at import: it is not needed at every cold start

    if kind == INSIGHTS:
        return playbook.insights(context), "rules", playbook.PLAYBOOK_MODEL
    return playbook.goal_suggestions(context), "rules", playbook.PLAYBOOK_MODEL


def _log_fallback(kind: str, model_id: str, reason: str, error: BaseException) -> None:
    # The reason and the error's type only: never the request, the answer or user data.
    logger.warning(
        "Coach answered with rules instead of the model",
        extra={
            "coach_kind": kind,
            "model_id": model_id,
            "reason": reason,
            "error_type": type(error).__name__,
        },
    )


def gather_context(
    sub: str, period: str, timezone: str, targets: Mapping[str, Any], now: datetime
) -> CoachContext:
    """Everything the providers read: 3 requests for the summaries, 1 for the goals."""
    today = today_in(timezone, now)
    return CoachContext.build(
        period=period,
        today=today,
        timezone=timezone,
        days=period_days(sub, period, period_start(period, today)),
        goals=user_goals(sub, timezone, now),
        targets=targets,
    )


def period_days(sub: str, period: str, start: date) -> list[DayFigures]:
    """The figures of the period's days, from the summaries' daily summaries (3 requests)."""
    from ..summaries import service as summaries

    if period == DAY:
        days = [summaries.daily_summary(sub, start)]
    else:
        days = summaries.weekly_summary(sub, start)["days"]
    return [DayFigures.from_summary(day) for day in days]


def user_goals(sub: str, timezone: str, now: datetime) -> list[dict[str, Any]]:
    """The user's newest goals as `GET /goals` shows them, progress as of today (one Query)."""
    goals, _next = query_page(GoalItem, user_pk(sub), GoalItem.list_range(), limit=GOALS_LIMIT)
    attach_progress(goals, timezone, now=now)
    return _goals_schema().dump(goals)


# Built on first use, once per container: not at import (cold start), not per request.


@functools.cache
def _goals_schema() -> GoalSchema:
    return GoalSchema(many=True)


def daily_targets(profile: ProfileItem | None) -> dict[str, Any]:
    """The profile's `dailyTargets` that are set, by their API names."""
    if profile is None or profile.daily_targets is None:
        return {}
    targets = profile.daily_targets
    return {
        attribute.attr_name: getattr(targets, name)
        for name, attribute in targets.get_attributes().items()
        if getattr(targets, name) is not None
    }
