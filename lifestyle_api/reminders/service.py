"""The reminders pass (API.md "Reminders and nudges"): one function that the schedule
(`{"task": "run-reminders"}` every 15 minutes) and `python -m migrations_scripts
run-reminders [--at]` both run. No Flask here.

For each shard of the status index (the 16 in parallel, one thread each):

1. the shard's active habits, from GSI1 alone (it projects each goal's `type` and
   `reminder`), grouped by user;
2. their profiles, 100 to a BatchGetItem: no profile (a deleted account, or one never
   opened) or `notifications.enabled: false` means nothing is sent; the timezone and quiet
   hours say what falls due in this pass's window (`timing`);
3. only for a user with something due: one BatchGetItem of those goals (and, for a streak
   nudge, of the day's reminder), decided with the rules the goals and summaries use (the
   summaries' "due", the goals' streaks), then each notification written once (a
   conditional put keyed by goal, kind and local day) and pushed to the user's devices;
4. the shard's notifications whose push failed earlier (or whose pass crashed) are retried.

One user's failure (DynamoDB throttling after the SDK's retries, say) does not stop the
others; the pass then reports it, and the scheduled invocation fails so that it is retried
for the same instant: what was sent is not sent again.
"""

from __future__ import annotations

import time as clock_time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..db.keys import STATUS_SHARDS, goal_sk, user_pk
from ..db.reads import read_profiles, read_with_profile
from ..goals import service as goals
from ..goals.progress import habit_progress
from ..notifications import delivery
from ..observability import logger
from ..records import Record
from ..summaries import service as summaries
from ..timeutil import format_instant, utc_now
from .timing import (
    REMINDER,
    STREAK_AT_RISK,
    Planned,
    QuietHours,
    Window,
    parse_time,
    planned_in_window,
)

if TYPE_CHECKING:
    from ..notifications.push import PushGateway

PROFILES_PER_REQUEST = 100
# API.md: a streak worth a nudge, and how recent a reminder makes the nudge superfluous.
STREAK_AT_RISK_MINIMUM = 3
REMINDER_COOLDOWN = timedelta(hours=2)

Clock = Callable[[], datetime]


class Decision(Record):
    planned: Planned
    title: str
    body: str


def run_reminders(
    at: datetime,
    settings: Settings,
    *,
    shards: Iterable[int] = range(STATUS_SHARDS),
    clock: Clock = utc_now,
    gateway: PushGateway | None = None,
) -> dict[str, Any]:
    """One pass for the window ending at `at`, over `shards` in parallel; counts of what it
    saw and did. `clock` is the real time (push leases), `at` the instant the pass is for."""
    gateway = gateway or delivery.push_gateway(settings)
    shards = sorted(set(shards))
    window = Window.ending_at(at)
    started = clock_time.perf_counter()
    totals: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=max(len(shards), 1), thread_name_prefix="shard") as pool:
        for counts in pool.map(lambda shard: run_shard(shard, window, gateway, clock), shards):
            totals.update(counts)
    summary = {
        "at": format_instant(at),
        "shards": len(shards),
        **dict(sorted(totals.items())),
        "seconds": round(clock_time.perf_counter() - started, 3),
    }
    logger.info("Reminders pass", extra=summary)
    return summary


class InvalidTaskEvent(ValueError):
    """A scheduled event whose `at` or `shards` the pass cannot run with."""


class PassIncomplete(RuntimeError):
    """Some users' reminders failed: the invocation fails, so that it is retried (for the
    same instant, which sends nothing twice)."""


def run_reminders_task(event: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The scheduled task: `{"task": "run-reminders", "at"?: <instant>, "shards"?: [...]}`.
    The schedule passes its own scheduled time as `at`, so a retried invocation covers the
    same window; without it the pass is for now."""
    try:
        at = parse_instant(event["at"]) if event.get("at") else utc_now()
        shards = valid_shards(event["shards"]) if event.get("shards") else range(STATUS_SHARDS)
    except (ValueError, TypeError) as exc:
        raise InvalidTaskEvent(str(exc)) from exc
    summary = run_reminders(at, settings, shards=shards)
    if summary.get("users_failed"):
        raise PassIncomplete(f"the reminders of {summary['users_failed']} users failed")
    return summary


def parse_instant(text: str) -> datetime:
    """An RFC 3339 instant with an offset (`Z` included); anything else is a ValueError."""
    instant = datetime.fromisoformat(str(text))
    if instant.tzinfo is None:
        raise ValueError(f"{text!r} has no offset; give e.g. 2026-11-26T07:30:00Z")
    return instant


def valid_shards(shards: Sequence[Any]) -> list[int]:
    numbers = [s for s in shards if isinstance(s, int) and not isinstance(s, bool)]
    if len(numbers) != len(shards) or not all(0 <= s < STATUS_SHARDS for s in numbers):
        raise ValueError(f"shards are numbers from 0 to {STATUS_SHARDS - 1}")
    return list(shards)


def run_shard(shard: int, window: Window, gateway: PushGateway, clock: Clock) -> Counter[str]:
    """Steps 1 to 4 for one shard."""
    habits: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for entry in goals.active_habits(shard):
        habits[entry.sub].append((entry.goal_id, entry.reminder_time))
    counts: Counter[str] = Counter(users=len(habits), habits=sum(map(len, habits.values())))
    subs = list(habits)
    for start in range(0, len(subs), PROFILES_PER_REQUEST):
        profiles = read_profiles(subs[start : start + PROFILES_PER_REQUEST])
        for sub, profile in profiles.items():
            planned = _planned_for(profile, habits[sub], window)
            if planned is None:
                counts["not_notified"] += 1
            elif planned:
                try:
                    counts.update(notify_user(sub, planned, window.end, gateway, clock))
                except Exception:  # one user's failure must not cost the others their reminders
                    logger.exception("Reminders of one user failed", extra={"user_id": sub})
                    counts["users_failed"] += 1
    counts.update(delivery.retry_pending(shard, gateway, now=clock()))
    return counts


def _planned_for(profile, habits, window: Window) -> list[Planned] | None:
    """What falls due in the window for the user; `None` for a user never notified (no
    profile, or notifications off)."""
    if profile is None:
        return None
    preferences = profile.notification_preferences
    if not preferences.enabled:
        return None
    quiet = preferences.quiet_hours
    return planned_in_window(
        window,
        profile.timezone,
        habits,
        quiet=QuietHours(parse_time(quiet.start), parse_time(quiet.end)) if quiet else None,
        streak_nudges=preferences.streak_nudges,
    )


def notify_user(
    sub: str,
    planned: list[Planned],
    at: datetime,
    gateway: PushGateway,
    clock: Clock,
) -> Counter[str]:
    """Decide on what is planned with the goals as they are now, write each notification
    once, and push what was written."""
    counts: Counter[str] = Counter()
    decisions = decide(sub, planned, at)
    if not decisions:
        return counts
    devices = [device for device in delivery.devices_of(sub) if gateway.handles(device.platform)]
    written = []
    for decision in decisions:
        plan = decision.planned
        notification = delivery.record_once(
            sub,
            goal_id=plan.goal_id,
            kind=plan.kind,
            day=plan.day,
            title=decision.title,
            body=decision.body,
            at=at,
            push=bool(devices),
            now=clock(),
        )
        if notification is None:
            counts["already_sent"] += 1
        else:
            counts[plan.kind] += 1
            written.append(notification)
    if written and devices:
        counts.update(delivery.push(written, devices, gateway, now=clock()))
    logger.debug("User notified", extra={"user_id": sub, **counts})
    return counts


def decide(sub: str, planned: list[Planned], at: datetime) -> list[Decision]:
    """The planned notifications that are still wanted: the goal is an active habit, due
    that day and not checked in; a reminder's time is still the one planned; a streak nudge
    needs a streak of 3 and no reminder for the goal in the last two hours (one read of the
    goals and those reminders)."""
    goal_keys = {plan.goal_id: (user_pk(sub), goal_sk(plan.goal_id)) for plan in planned}
    reminder_keys = {
        plan.goal_id: delivery.notification_key(sub, plan.goal_id, REMINDER, plan.day)
        for plan in planned
        if plan.kind == STREAK_AT_RISK
    }
    found = read_with_profile(
        sub, None, with_profile=False, also=[*goal_keys.values(), *reminder_keys.values()]
    ).others
    decisions: list[Decision] = []
    reminded: set[str] = set()
    for plan in planned:
        goal = found.get(goal_keys[plan.goal_id])
        if goal is None or goal.goal_type != "habit":
            continue
        facts = summaries.goal_facts(goal)
        if not summaries.is_due(facts, plan.day) or plan.day in facts.check_ins:
            continue
        if plan.kind == REMINDER:
            if goal.reminder is None or goal.reminder.time != plan.local_time:
                continue
            reminded.add(plan.goal_id)
            decisions.append(Decision(plan, *reminder_text(facts.title)))
            continue
        reminder = found.get(reminder_keys[plan.goal_id])
        if plan.goal_id in reminded or (reminder and reminder.created_at > at - REMINDER_COOLDOWN):
            continue
        streak = habit_progress(
            facts.check_ins,
            plan.day,
            frequency=facts.frequency,
            days_of_week=facts.days_of_week,
            times_per_week=facts.times_per_week,
        ).streak_current
        if streak >= STREAK_AT_RISK_MINIMUM:
            decisions.append(Decision(plan, *streak_text(facts.title, streak, facts.frequency)))
    return decisions


def reminder_text(title: str) -> tuple[str, str]:
    return title, "Time for this habit. Check in once it's done."


def streak_text(title: str, streak: int, frequency: str) -> tuple[str, str]:
    unit = "week" if frequency == "weekly" else "day"
    return (
        "Keep your streak going",
        f"“{title}” is on a {streak}-{unit} streak. Check in today to keep it.",
    )
