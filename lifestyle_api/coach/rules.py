"""The rules provider: deterministic insights and goal suggestions from a `CoachContext`.

Pure functions, no I/O, no network: always available, and the answer whenever the model
is not used or fails. Every insight carries the numbers it rests on in `evidence`.

Averages count the days that have a value (a day with no steps logged is not a day with
zero steps), except active minutes, which count every day of the period so far. Targets
come from the profile's `dailyTargets`; without one, steps, sleep, water and activity are
compared with a common reference (`targetSource: "reference"`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from .context import DAY, WEEK, CoachContext, number

RULES_MODEL = "lifestyle-rules-1"
PERIODS = (DAY, WEEK)
SOURCES = ("bedrock", "rules")
INSIGHT_KINDS = (
    "getting_started",
    "goal_completion",
    "streak_kept",
    "streak_broken",
    "sleep",
    "steps",
    "activity",
    "hydration",
    "calories",
    "macros",
    "weight_trend",
)
REFERENCE_TARGETS = {
    "steps": 8000.0,
    "sleepMinutes": 420.0,
    "waterMl": 2000.0,
    "activeMinutes": 30.0,
}
# Within 10% of a target is "close"; calories within 10% either side are "onTarget".
CLOSE_RATIO = 0.9
CALORIE_BAND = 0.1
# A streak that ended longer ago than this is history, not news.
RECENT_STREAK_DAYS = 14
# A target far above today's level is split: the first step is halfway there.
STEPPING_STONE_RATIO = 0.75
SUGGESTIONS_WANTED = 3

MACROS = (("proteinG", "protein"), ("carbsG", "carbs"), ("fatG", "fat"))


# --- reading the daily summaries -------------------------------------------------------


def _metric(day: Mapping[str, Any], name: str) -> float | None:
    return number((day.get("metrics") or {}).get(name))


def _nutrient(day: Mapping[str, Any], name: str) -> float | None:
    return number(((day.get("nutrition") or {}).get("totals") or {}).get(name))


def _meal_count(day: Mapping[str, Any]) -> int:
    return int(number((day.get("nutrition") or {}).get("mealCount")) or 0)


def _activity(day: Mapping[str, Any], name: str) -> float:
    return number((day.get("activity") or {}).get(name)) or 0.0


def _day_value(day: Mapping[str, Any], name: str) -> float | None:
    """The day's value of a daily target, `None` when nothing was logged for it."""
    if name == "activeMinutes":
        return _activity(day, "activeMinutes")
    if name in {"caloriesKcal", "proteinG", "carbsG", "fatG"}:
        return (_nutrient(day, name) or 0.0) if _meal_count(day) else None
    value = _metric(day, name)
    return value if value else None


class Measure(NamedTuple):
    """One daily target over the period: the average of the days with a value."""

    average: float
    target: float | None
    target_source: str
    days: int
    days_met: int

    @property
    def ratio(self) -> float:
        if not self.target:
            return 1.0
        return self.average / self.target


def measure(context: CoachContext, name: str) -> Measure | None:
    no_sessions = not any(_activity(day, "sessions") for day in context.days)
    if name == "activeMinutes" and name not in context.targets and no_sessions:
        # Someone who never logs activities is not "inactive"; without a target, say nothing.
        return None
    values = [v for v in (_day_value(day, name) for day in context.days) if v is not None]
    if not values:
        return None
    target, source = _target(context, name)
    return Measure(
        average=sum(values) / len(values),
        target=target,
        target_source=source,
        days=len(values),
        days_met=sum(1 for v in values if target is not None and v >= target),
    )


def _target(context: CoachContext, name: str) -> tuple[float | None, str]:
    if name in context.targets:
        return context.targets[name], "profile"
    if name in REFERENCE_TARGETS:
        return REFERENCE_TARGETS[name], "reference"
    return None, "none"


def _status(ratio: float) -> str:
    if ratio >= 1:
        return "met"
    return "close" if ratio >= CLOSE_RATIO else "below"


# --- formatting -------------------------------------------------------------------------


def _int(value: float) -> str:
    return f"{round(value):,}"


def _minutes(value: float) -> str:
    hours, minutes = divmod(round(value), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not minutes else f"{hours} h {minutes:02d} min"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _insight(kind: str, title: str, message: str, evidence: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "title": title, "message": message, "evidence": evidence}


# --- insights ---------------------------------------------------------------------------


def insights(context: CoachContext) -> dict[str, Any]:
    """`{"insights": [...]}` for the period; a getting-started insight when there is nothing
    to say yet."""
    found = [insight for build in INSIGHT_BUILDERS if (insight := build(context)) is not None]
    return {"insights": found or [getting_started(context)]}


def getting_started(context: CoachContext) -> dict[str, Any]:
    meals = sum(_meal_count(day) for day in context.days)
    sessions = sum(int(_activity(day, "sessions")) for day in context.days)
    if context.goals:
        message = (
            f"Nothing is logged {context.phrase} yet. Log a meal, an activity or last night's "
            "sleep, and check in on your goals; your insights build from there."
        )
    else:
        message = (
            "Welcome! Start by setting a first goal and logging a meal, a walk or last night's "
            "sleep; your insights build from what you log."
        )
    return _insight(
        "getting_started",
        "Let's get started",
        message,
        {
            "daysCounted": context.days_counted,
            "mealsLogged": meals,
            "activitiesLogged": sessions,
            "goals": len(context.goals),
        },
    )


def goal_completion(context: CoachContext) -> dict[str, Any] | None:
    due = sum(int(number((d.get("goals") or {}).get("due")) or 0) for d in context.days)
    done = sum(int(number((d.get("goals") or {}).get("done")) or 0) for d in context.days)
    if not due:
        return None
    percent = round(100 * done / due)
    opening = "Today" if context.period == DAY else "Across the days so far this week"
    if percent >= 80:
        tip = "Great consistency; keep it going."
    elif percent >= 50:
        tip = "Solid progress. Pick the goal you miss most and make it a little easier."
    else:
        tip = "Consider fewer or smaller goals so they fit into your days."
    return _insight(
        "goal_completion",
        "Goals done " + context.phrase,
        f"{opening}, you completed {done} of the {_count(due, 'goal')} due ({percent}%). {tip}",
        {"due": due, "done": done, "completionPercent": percent, "daysCounted": len(context.days)},
    )


def _habits(context: CoachContext) -> list[Mapping[str, Any]]:
    return [g for g in context.active_goals() if g.get("type") == "habit" and g.get("progress")]


def _streak_unit(goal: Mapping[str, Any]) -> str:
    weekly = (goal.get("schedule") or {}).get("frequency") == "weekly"
    return "week" if weekly else "day"


def streak_kept(context: CoachContext) -> dict[str, Any] | None:
    running = [g for g in _habits(context) if g["progress"].get("streakCurrent", 0) >= 2]
    if not running:
        return None
    goal = max(running, key=lambda g: g["progress"]["streakCurrent"])
    current = goal["progress"]["streakCurrent"]
    longest = goal["progress"].get("streakLongest", current)
    unit = _streak_unit(goal)
    best = "your longest yet" if current >= longest else f"your best is {_count(longest, unit)}"
    checked_in_today = goal["progress"].get("lastCheckInDate") == context.today.isoformat()
    keep = (
        "Nice work checking in today." if checked_in_today else "Today's check-in keeps it alive."
    )
    return _insight(
        "streak_kept",
        "Streak going strong",
        f"\u201c{goal['title']}\u201d is on a {current}-{unit} streak ({best}). {keep}",
        {
            "goalId": goal.get("goalId", ""),
            "streakCurrent": current,
            "streakLongest": longest,
            "unit": unit,
            "habitsOnStreak": len(running),
        },
    )


def streak_broken(context: CoachContext) -> dict[str, Any] | None:
    recent = context.today.toordinal() - RECENT_STREAK_DAYS
    ended = [
        g
        for g in _habits(context)
        if g["progress"].get("streakCurrent") == 0
        and g["progress"].get("streakLongest", 0) >= 2
        and g["progress"].get("lastCheckInDate")
        and _ordinal(g["progress"]["lastCheckInDate"]) >= recent
    ]
    if not ended:
        return None
    goal = max(ended, key=lambda g: g["progress"]["streakLongest"])
    progress = goal["progress"]
    unit = _streak_unit(goal)
    return _insight(
        "streak_broken",
        "A streak to restart",
        f"\u201c{goal['title']}\u201d has no running streak now (your best was "
        f"{_count(progress['streakLongest'], unit)}); the last check-in was "
        f"{progress['lastCheckInDate']}. One check-in starts a new one.",
        {
            "goalId": goal.get("goalId", ""),
            "streakCurrent": 0,
            "streakLongest": progress["streakLongest"],
            "lastCheckInDate": progress["lastCheckInDate"],
            "unit": unit,
        },
    )


def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


SLEEP_TIPS = {
    "met": "Your routine is working; keep bedtimes steady.",
    "close": "A regular bedtime and a screen-free last half hour can close the gap.",
    "below": "A regular bedtime and a screen-free last half hour before bed can help.",
}
STEPS_TIPS = {
    "met": "Great, keep moving through the day.",
    "close": "One short walk closes the gap.",
    "below": "A 10-minute walk after a meal adds roughly 1,000 steps.",
}
WATER_TIPS = {
    "met": "Nicely hydrated; keep it up.",
    "close": "One more glass a day gets you there.",
    "below": "Keep a bottle in sight and have a glass of water with each meal.",
}
ACTIVITY_TIPS = {
    "met": "You are reaching your activity target; well done.",
    "close": "One extra short session gets you there.",
    "below": "Short sessions count: two brisk 15-minute walks make 30 minutes.",
}
TITLES = {
    "sleepMinutes": ("Sleep", "sleep"),
    "steps": ("Steps", "steps"),
    "waterMl": ("Hydration", "water"),
    "activeMinutes": ("Activity", "activity"),
}
STATUS_TITLES = {"met": "{} on target", "close": "{} close to target", "below": "{} below target"}


def _status_title(name: str, status: str) -> str:
    return STATUS_TITLES[status].format(TITLES[name][0])


def sleep(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "sleepMinutes")
    if m is None or m.target is None:
        return None
    status = _status(m.ratio)
    if context.period == DAY:
        said = f"You slept {_minutes(m.average)} last night"
    else:
        said = (
            f"You slept {_minutes(m.average)} a night on average "
            f"({_count(m.days, 'night')} logged {context.phrase})"
        )
    return _insight(
        "sleep",
        _status_title("sleepMinutes", status),
        f"{said}, against a target of {_minutes(m.target)}. {SLEEP_TIPS[status]}",
        {
            "averageMinutes": round(m.average),
            "targetMinutes": round(m.target),
            "nightsLogged": m.days,
            "nightsMet": m.days_met,
            "targetSource": m.target_source,
            "status": status,
        },
    )


def steps(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "steps")
    if m is None or m.target is None:
        return None
    status = _status(m.ratio)
    if context.period == DAY:
        said = f"You have {_int(m.average)} steps today, against a target of {_int(m.target)}."
    else:
        said = (
            f"You averaged {_int(m.average)} steps a day over {_count(m.days, 'logged day')} "
            f"{context.phrase}, against a target of {_int(m.target)}; you reached it on "
            f"{m.days_met} of them."
        )
    return _insight(
        "steps",
        _status_title("steps", status),
        f"{said} {STEPS_TIPS[status]}",
        {
            "averageSteps": round(m.average),
            "targetSteps": round(m.target),
            "daysLogged": m.days,
            "daysMet": m.days_met,
            "targetSource": m.target_source,
            "status": status,
        },
    )


def hydration(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "waterMl")
    if m is None or m.target is None:
        return None
    status = _status(m.ratio)
    if context.period == DAY:
        said = f"You drank {_int(m.average)} ml today"
    else:
        said = (
            f"You drank {_int(m.average)} ml a day on average over "
            f"{_count(m.days, 'logged day')} {context.phrase}"
        )
    return _insight(
        "hydration",
        _status_title("waterMl", status),
        f"{said}, against a target of {_int(m.target)} ml. {WATER_TIPS[status]}",
        {
            "averageMl": round(m.average),
            "targetMl": round(m.target),
            "daysLogged": m.days,
            "daysMet": m.days_met,
            "targetSource": m.target_source,
            "status": status,
        },
    )


def activity(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "activeMinutes")
    if m is None or m.target is None:
        return None
    status = _status(m.ratio)
    total = round(sum(_activity(day, "activeMinutes") for day in context.days))
    sessions = int(sum(_activity(day, "sessions") for day in context.days))
    logged = f"You logged {total} active minutes in {_count(sessions, 'session')}"
    if context.period == DAY:
        said = f"{logged} today, against a daily target of {round(m.target)}."
    else:
        said = (
            f"{logged} {context.phrase}: {round(m.average)} a day over "
            f"{_count(m.days, 'day')}, against a daily target of {round(m.target)}."
        )
    return _insight(
        "activity",
        _status_title("activeMinutes", status),
        f"{said} {ACTIVITY_TIPS[status]}",
        {
            "totalMinutes": total,
            "averageMinutesPerDay": round(m.average),
            "targetMinutesPerDay": round(m.target),
            "sessions": sessions,
            "daysCounted": m.days,
            "daysMet": m.days_met,
            "targetSource": m.target_source,
            "status": status,
        },
    )


def calorie_status(average: float, target: float) -> str:
    if average > target * (1 + CALORIE_BAND):
        return "above"
    if average < target * (1 - CALORIE_BAND):
        return "below"
    return "onTarget"


CALORIE_TIPS = {
    "above": "Smaller portions of energy-dense foods and more vegetables can bring it closer.",
    "below": "Regular, balanced meals help keep your energy up through the day.",
    "onTarget": "Nicely balanced.",
    "noTarget": "Set a daily calorie target in your profile to compare against.",
}
CALORIE_TITLES = {
    "above": "Calories above target",
    "below": "Calories below target",
    "onTarget": "Calories on target",
    "noTarget": "Calories logged",
}


def calories(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "caloriesKcal")
    if m is None:
        return None
    status = "noTarget" if m.target is None else calorie_status(m.average, m.target)
    if context.period == DAY:
        said = f"You have logged {_int(m.average)} kcal today"
    else:
        said = (
            f"You averaged {_int(m.average)} kcal a day over "
            f"{_count(m.days, 'day')} with meals logged {context.phrase}"
        )
    against = "" if m.target is None else f", against a target of {_int(m.target)} kcal"
    evidence: dict[str, Any] = {"averageKcal": round(m.average), "daysLogged": m.days}
    if m.target is not None:
        evidence["targetKcal"] = round(m.target)
    evidence["status"] = status
    return _insight(
        "calories",
        CALORIE_TITLES[status],
        f"{said}{against}. {CALORIE_TIPS[status]}",
        evidence,
    )


def macros(context: CoachContext) -> dict[str, Any] | None:
    measured = [
        (name, label, m)
        for name, label in MACROS
        if name in context.targets and (m := measure(context, name)) is not None
    ]
    if not measured:
        return None
    name, label, focus = max(measured, key=lambda item: abs(item[2].ratio - 1))
    status = calorie_status(focus.average, focus.target)
    parts = ", ".join(
        f"{lbl} {round(m.average)} g of {round(m.target)} g" for _n, lbl, m in measured
    )
    lead = "So far today" if context.period == DAY else "Daily average on days with meals"
    if status == "onTarget":
        title, tip = "Macros on target", "Your macros are well balanced."
    elif status == "below":
        title = f"{label.capitalize()} below target"
        tip = (
            "Adding a protein source such as eggs, yogurt, beans or fish to each meal can help."
            if name == "proteinG"
            else f"Foods rich in {label} at one more meal can close the gap."
        )
    else:
        title = f"{label.capitalize()} above target"
        tip = f"Smaller portions of {label}-rich foods can bring it closer."
    evidence: dict[str, Any] = {"daysLogged": focus.days}
    for macro, _label, m in measured:
        suffix = macro[0].upper() + macro[1:]
        evidence[f"average{suffix}"] = round(m.average)
        evidence[f"target{suffix}"] = round(m.target)
    evidence.update({"focus": label, "status": status})
    return _insight("macros", title, f"{lead}: {parts}. {tip}", evidence)


def weight_trend(context: CoachContext) -> dict[str, Any] | None:
    weigh_ins = [(d["date"], w) for d in context.days if (w := _metric(d, "weightKg"))]
    if len(weigh_ins) < 2:
        return None
    (first_day, first), (last_day, last) = weigh_ins[0], weigh_ins[-1]
    change = round(last - first, 1)
    message = (
        f"Your weight went from {first:.1f} kg on {first_day} to {last:.1f} kg on {last_day} "
        f"({change:+.1f} kg)."
    )
    evidence: dict[str, Any] = {
        "firstKg": round(first, 1),
        "lastKg": round(last, 1),
        "changeKg": change,
        "firstDate": first_day,
        "lastDate": last_day,
        "weighIns": len(weigh_ins),
    }
    goal = next(
        (
            g
            for g in context.active_goals()
            if g.get("type") == "target" and (g.get("target") or {}).get("metric") == "weightKg"
        ),
        None,
    )
    if goal is not None:
        target = float(goal["target"]["value"])
        evidence["goalKg"] = round(target, 1)
        evidence["toGoalKg"] = round(abs(last - target), 1)
        message += f" Your goal is {target:.1f} kg, {abs(last - target):.1f} kg away."
    message += " Day-to-day changes are normal; the trend over weeks matters more."
    return _insight("weight_trend", "Weight trend", message, evidence)


INSIGHT_BUILDERS: tuple[Callable[[CoachContext], dict[str, Any] | None], ...] = (
    goal_completion,
    streak_broken,
    streak_kept,
    sleep,
    steps,
    activity,
    hydration,
    calories,
    macros,
    weight_trend,
)


# --- goal suggestions -------------------------------------------------------------------


def stepping_stone(average: float, target: float, unit: int) -> int:
    """The next target to aim for: the target itself, or halfway there when it is far off."""
    if average >= STEPPING_STONE_RATIO * target:
        return round(target)
    halfway = average + (target - average) / 2
    return min(round(target), math.ceil(halfway / unit) * unit)


class Area(NamedTuple):
    """A daily target a suggestion can raise: how to name and round it."""

    metric: str
    category: str
    unit: int
    title: Callable[[int], str]
    amount: Callable[[float], str]


def _sleep_title(value: int) -> str:
    hours, minutes = divmod(value, 60)
    return f"Sleep {hours} hours a night" if not minutes else f"Sleep {_minutes(value)} a night"


AREAS = (
    Area(
        "steps", "fitness", 500, lambda v: f"Walk {v:,} steps a day", lambda v: f"{_int(v)} steps"
    ),
    Area("sleepMinutes", "sleep", 15, _sleep_title, _minutes),
    Area(
        "waterMl",
        "hydration",
        250,
        lambda v: f"Drink {v:,} ml of water a day",
        lambda v: f"{_int(v)} ml",
    ),
    Area(
        "activeMinutes",
        "fitness",
        5,
        lambda v: f"Be active {v} minutes a day",
        lambda v: f"{round(v)} minutes",
    ),
)


def _target_goal(title: str, category: str, metric: str, value: float, direction: str) -> dict:
    return {
        "title": title,
        "category": category,
        "type": "target",
        "target": {"metric": metric, "value": value, "direction": direction},
    }


def _habit_goal(title: str, category: str, schedule: dict[str, Any]) -> dict[str, Any]:
    return {"title": title, "category": category, "type": "habit", "schedule": schedule}


def goal_suggestions(context: CoachContext) -> dict[str, Any]:
    """`{"suggestions": [...]}`: up to three new goals, weakest areas first, each a valid
    `POST /goals` body that no active goal already covers."""
    active = context.active_goals()
    covered_metrics = {(g.get("target") or {}).get("metric") for g in active}
    covered_categories = {g.get("category") for g in active}
    titles = {str(g.get("title", "")).casefold() for g in active}

    def new(suggestion: dict[str, Any]) -> bool:
        return suggestion["goal"]["title"].casefold() not in titles

    weak = [s for _ratio, s in sorted(_weak_areas(context, covered_metrics), key=lambda x: x[0])]
    starters = _starters(context, covered_metrics, covered_categories)
    chosen: list[dict[str, Any]] = []
    for suggestion in [*weak, *starters]:
        if new(suggestion) and len(chosen) < SUGGESTIONS_WANTED:
            chosen.append(suggestion)
    if not chosen:
        chosen = [next((s for s in LAST_RESORT if new(s)), LAST_RESORT[0])]
    return {"suggestions": chosen}


def _weak_areas(context: CoachContext, covered_metrics: set) -> list[tuple[float, dict]]:
    found = []
    for area in AREAS:
        m = measure(context, area.metric)
        if m is None or m.target is None or m.ratio >= CLOSE_RATIO:
            continue
        if area.metric in covered_metrics:
            continue
        value = stepping_stone(m.average, m.target, area.unit)
        reference = " (a common reference)" if m.target_source == "reference" else ""
        step = "" if value >= m.target else f" {area.amount(value)} is a reachable next step."
        rationale = (
            f"You averaged {area.amount(m.average)} a day over {_count(m.days, 'day')} "
            f"{context.phrase}, against a target of {area.amount(m.target)}{reference}.{step}"
        )
        goal = _target_goal(area.title(value), area.category, area.metric, value, "atLeast")
        found.append((m.ratio, {"goal": goal, "rationale": rationale}))

    m = measure(context, "caloriesKcal")
    if (
        m is not None
        and m.target is not None
        and calorie_status(m.average, m.target) == "above"
        and "caloriesKcal" not in covered_metrics
    ):
        target = round(m.target)
        goal = _target_goal(
            f"Stay at or under {target:,} kcal a day", "nutrition", "caloriesKcal", target, "atMost"
        )
        rationale = (
            f"You averaged {_int(m.average)} kcal a day over {_count(m.days, 'day')} with meals "
            f"logged {context.phrase}, above your target of {_int(m.target)} kcal."
        )
        found.append((m.target / m.average, {"goal": goal, "rationale": rationale}))

    m = measure(context, "proteinG") if "proteinG" in context.targets else None
    if m is not None and m.target and m.ratio < CLOSE_RATIO:
        goal = _habit_goal(
            "Add a protein source to every meal", "nutrition", {"frequency": "daily"}
        )
        rationale = (
            f"Your protein averaged {round(m.average)} g a day over {_count(m.days, 'day')} "
            f"with meals logged {context.phrase}, against a target of {round(m.target)} g."
        )
        found.append((m.ratio, {"goal": goal, "rationale": rationale}))
    return found


def _starters(context: CoachContext, covered_metrics: set, covered_categories: set) -> list[dict]:
    """First goals for areas with no data and no goal yet."""
    starters = []
    logged = {name for name in ("steps", "waterMl", "sleepMinutes") if measure(context, name)}
    if not any(_meal_count(day) for day in context.days) and "nutrition" not in covered_categories:
        starters.append(
            {
                "goal": _habit_goal("Log every meal", "nutrition", {"frequency": "daily"}),
                "rationale": f"No meals are logged {context.phrase}. Logging what you eat is "
                "the first step to seeing your patterns.",
            }
        )
    for area in AREAS[:3]:
        if area.metric in logged or area.metric in covered_metrics:
            continue
        if area.category in covered_categories:
            continue
        value = round(context.targets.get(area.metric, REFERENCE_TARGETS[area.metric]))
        starters.append(
            {
                "goal": _target_goal(
                    area.title(value), area.category, area.metric, value, "atLeast"
                ),
                "rationale": f"Nothing is logged for {TITLES[area.metric][1]} {context.phrase}. "
                f"A daily target of {area.amount(value)} makes it easy to track.",
            }
        )
    if "mindfulness" not in covered_categories:
        starters.append(
            {
                "goal": _habit_goal(
                    "10 minutes of mindfulness",
                    "mindfulness",
                    {"frequency": "weekly", "timesPerWeek": 3},
                ),
                "rationale": "You have no mindfulness goal yet. Three short sessions a week are "
                "an easy place to start.",
            }
        )
    return starters


LAST_RESORT = (
    {
        "goal": _habit_goal(
            "Take a 10-minute walk after dinner", "fitness", {"frequency": "daily"}
        ),
        "rationale": "Your areas are covered by active goals; a short evening walk is an easy "
        "extra that supports all of them.",
    },
    {
        "goal": _habit_goal(
            "Plan next week's meals", "nutrition", {"frequency": "weekly", "timesPerWeek": 1}
        ),
        "rationale": "Your areas are covered by active goals; planning meals ahead makes the "
        "nutrition ones easier to keep.",
    },
)
