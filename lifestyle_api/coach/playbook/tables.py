"""The playbook's data: thresholds, reference targets, and the copy of every insight and
suggestion. No decisions here: the insight and suggestion modules fill these templates.

Templates are `str.format` strings over named values the code supplies (`{phrase}` is
"today" or "this week"); amounts are written by the formats in `formats.py`, named here
("grouped" 8,000, "whole" 30, "duration" 7 h 30 min, "hours" 7 hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..context import DAY, WEEK

# --- thresholds -------------------------------------------------------------------------

# Compared with when the profile sets no daily target (`targetSource: "reference"`).
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

# --- getting started --------------------------------------------------------------------

GETTING_STARTED_TITLE = "Let's get started"
GETTING_STARTED_WITH_GOALS = (
    "Nothing is logged {phrase} yet. Log a meal, an activity or last night's sleep, and check "
    "in on your goals; your insights build from there."
)
GETTING_STARTED_WITHOUT_GOALS = (
    "Welcome! Start by setting a first goal and logging a meal, a walk or last night's sleep; "
    "your insights build from what you log."
)

# --- goals and streaks ------------------------------------------------------------------

GOAL_COMPLETION_TITLE = "Goals done {phrase}"
GOAL_COMPLETION_OPENINGS = {DAY: "Today", WEEK: "Across the days so far this week"}
GOAL_COMPLETION_MESSAGE = "{opening}, you completed {done} of the {due} due ({percent}%). {tip}"
# The first tip whose lowest completion percent is reached, else the last resort.
GOAL_COMPLETION_TIPS = (
    (80, "Great consistency; keep it going."),
    (50, "Solid progress. Pick the goal you miss most and make it a little easier."),
)
GOAL_COMPLETION_LOW_TIP = "Consider fewer or smaller goals so they fit into your days."

STREAK_KEPT_TITLE = "Streak going strong"
STREAK_KEPT_MESSAGE = "\u201c{title}\u201d is on a {current}-{unit} streak ({best}). {keep}"
STREAK_LONGEST_YET = "your longest yet"
STREAK_BEST_IS = "your best is {longest}"
STREAK_CHECKED_IN_TODAY = "Nice work checking in today."
STREAK_CHECK_IN_TODAY = "Today's check-in keeps it alive."

STREAK_BROKEN_TITLE = "A streak to restart"
STREAK_BROKEN_MESSAGE = (
    "\u201c{title}\u201d has no running streak now (your best was {longest}); the last "
    "check-in was {last_check_in}. One check-in starts a new one."
)

# --- daily targets: sleep, steps, activity, hydration -----------------------------------


class DailyTargetCopy(NamedTuple):
    """How the insight on one daily target speaks. Messages (by period) read `average`,
    `target` (in `amount_format`), `days` (counted in `days_noun`), `days_met`, `total`,
    `sessions`, `phrase` and `tip` (by status); `evidence` pairs each evidence key with the
    figure it shows (`average`, `target`, `days`, `days_met`, `total`, `sessions`,
    `target_source`, `status`)."""

    kind: str
    metric: str
    title: str
    amount_format: str
    days_noun: str
    messages: Mapping[str, str]
    tips: Mapping[str, str]
    evidence: tuple[tuple[str, str], ...]


DAILY_TARGET_STATUS_TITLES = {
    "met": "{title} on target",
    "close": "{title} close to target",
    "below": "{title} below target",
}

# In the order the insights are given.
DAILY_TARGET_INSIGHTS = (
    DailyTargetCopy(
        kind="sleep",
        metric="sleepMinutes",
        title="Sleep",
        amount_format="duration",
        days_noun="night",
        messages={
            DAY: "You slept {average} last night, against a target of {target}. {tip}",
            WEEK: "You slept {average} a night on average ({days} logged {phrase}), against "
            "a target of {target}. {tip}",
        },
        tips={
            "met": "Your routine is working; keep bedtimes steady.",
            "close": "A regular bedtime and a screen-free last half hour can close the gap.",
            "below": "A regular bedtime and a screen-free last half hour before bed can help.",
        },
        evidence=(
            ("averageMinutes", "average"),
            ("targetMinutes", "target"),
            ("nightsLogged", "days"),
            ("nightsMet", "days_met"),
            ("targetSource", "target_source"),
            ("status", "status"),
        ),
    ),
    DailyTargetCopy(
        kind="steps",
        metric="steps",
        title="Steps",
        amount_format="grouped",
        days_noun="logged day",
        messages={
            DAY: "You have {average} steps today, against a target of {target}. {tip}",
            WEEK: "You averaged {average} steps a day over {days} {phrase}, against a target "
            "of {target}; you reached it on {days_met} of them. {tip}",
        },
        tips={
            "met": "Great, keep moving through the day.",
            "close": "One short walk closes the gap.",
            "below": "A 10-minute walk after a meal adds roughly 1,000 steps.",
        },
        evidence=(
            ("averageSteps", "average"),
            ("targetSteps", "target"),
            ("daysLogged", "days"),
            ("daysMet", "days_met"),
            ("targetSource", "target_source"),
            ("status", "status"),
        ),
    ),
    DailyTargetCopy(
        kind="activity",
        metric="activeMinutes",
        title="Activity",
        amount_format="whole",
        days_noun="day",
        messages={
            DAY: "You logged {total} active minutes in {sessions} today, against a daily "
            "target of {target}. {tip}",
            WEEK: "You logged {total} active minutes in {sessions} {phrase}: {average} a day "
            "over {days}, against a daily target of {target}. {tip}",
        },
        tips={
            "met": "You are reaching your activity target; well done.",
            "close": "One extra short session gets you there.",
            "below": "Short sessions count: two brisk 15-minute walks make 30 minutes.",
        },
        evidence=(
            ("totalMinutes", "total"),
            ("averageMinutesPerDay", "average"),
            ("targetMinutesPerDay", "target"),
            ("sessions", "sessions"),
            ("daysCounted", "days"),
            ("daysMet", "days_met"),
            ("targetSource", "target_source"),
            ("status", "status"),
        ),
    ),
    DailyTargetCopy(
        kind="hydration",
        metric="waterMl",
        title="Hydration",
        amount_format="grouped",
        days_noun="logged day",
        messages={
            DAY: "You drank {average} ml today, against a target of {target} ml. {tip}",
            WEEK: "You drank {average} ml a day on average over {days} {phrase}, against a "
            "target of {target} ml. {tip}",
        },
        tips={
            "met": "Nicely hydrated; keep it up.",
            "close": "One more glass a day gets you there.",
            "below": "Keep a bottle in sight and have a glass of water with each meal.",
        },
        evidence=(
            ("averageMl", "average"),
            ("targetMl", "target"),
            ("daysLogged", "days"),
            ("daysMet", "days_met"),
            ("targetSource", "target_source"),
            ("status", "status"),
        ),
    ),
)

# --- nutrition --------------------------------------------------------------------------

CALORIE_TITLES = {
    "above": "Calories above target",
    "below": "Calories below target",
    "onTarget": "Calories on target",
    "noTarget": "Calories logged",
}
CALORIE_TIPS = {
    "above": "Smaller portions of energy-dense foods and more vegetables can bring it closer.",
    "below": "Regular, balanced meals help keep your energy up through the day.",
    "onTarget": "Nicely balanced.",
    "noTarget": "Set a daily calorie target in your profile to compare against.",
}
CALORIE_MESSAGES = {
    DAY: "You have logged {average} kcal today{against}. {tip}",
    WEEK: "You averaged {average} kcal a day over {days} with meals logged {phrase}{against}. "
    "{tip}",
}
CALORIE_AGAINST_TARGET = ", against a target of {target} kcal"

# Macros by their `dailyTargets` name, and how messages name them.
MACROS = {"proteinG": "protein", "carbsG": "carbs", "fatG": "fat"}
MACRO_LEADS = {DAY: "So far today", WEEK: "Daily average on days with meals"}
MACRO_MESSAGE = "{lead}: {parts}. {tip}"
MACRO_PART = "{label} {average} g of {target} g"
MACRO_TITLES = {
    "onTarget": "Macros on target",
    "below": "{Label} below target",
    "above": "{Label} above target",
}
MACRO_TIPS = {
    "onTarget": "Your macros are well balanced.",
    "below": "Foods rich in {label} at one more meal can close the gap.",
    "above": "Smaller portions of {label}-rich foods can bring it closer.",
}
# Where one macro has a better tip than the general one, by (macro, status).
MACRO_TIPS_FOR = {
    ("proteinG", "below"): "Adding a protein source such as eggs, yogurt, beans or fish to "
    "each meal can help.",
}

# --- weight -----------------------------------------------------------------------------

WEIGHT_TREND_TITLE = "Weight trend"
WEIGHT_TREND_MESSAGE = (
    "Your weight went from {first:.1f} kg on {first_day} to {last:.1f} kg on {last_day} "
    "({change:+.1f} kg)."
)
WEIGHT_TREND_GOAL = " Your goal is {target:.1f} kg, {away:.1f} kg away."
WEIGHT_TREND_CLOSING = " Day-to-day changes are normal; the trend over weeks matters more."

# --- goal suggestions -------------------------------------------------------------------


class SuggestionArea(NamedTuple):
    """A daily target a suggested goal can raise: the goal's category, the step its value is
    rounded to, its title (a template over the value in `title_format`), how rationales
    write its amounts (`amount` over a value in `amount_format`) and name it (`noun`)."""

    metric: str
    category: str
    unit: int
    title: str
    title_format: str
    amount: str
    amount_format: str
    noun: str
    # Offered as a first goal when nothing is logged for it and no goal covers it.
    starter: bool


# In the order they are offered when equally weak.
SUGGESTION_AREAS = (
    SuggestionArea(
        metric="steps",
        category="fitness",
        unit=500,
        title="Walk {} steps a day",
        title_format="grouped",
        amount="{} steps",
        amount_format="grouped",
        noun="steps",
        starter=True,
    ),
    SuggestionArea(
        metric="sleepMinutes",
        category="sleep",
        unit=15,
        title="Sleep {} a night",
        title_format="hours",
        amount="{}",
        amount_format="duration",
        noun="sleep",
        starter=True,
    ),
    SuggestionArea(
        metric="waterMl",
        category="hydration",
        unit=250,
        title="Drink {} ml of water a day",
        title_format="grouped",
        amount="{} ml",
        amount_format="grouped",
        noun="water",
        starter=True,
    ),
    SuggestionArea(
        metric="activeMinutes",
        category="fitness",
        unit=5,
        title="Be active {} minutes a day",
        title_format="whole",
        amount="{} minutes",
        amount_format="whole",
        noun="activity",
        starter=False,
    ),
)

WEAK_AREA_RATIONALE = (
    "You averaged {average} a day over {days} {phrase}, against a target of "
    "{target}{reference}.{step}"
)
WEAK_AREA_REFERENCE = " (a common reference)"
WEAK_AREA_STEP = " {value} is a reachable next step."

CALORIE_LIMIT_TITLE = "Stay at or under {target:,} kcal a day"
CALORIE_LIMIT_RATIONALE = (
    "You averaged {average} kcal a day over {days} with meals logged {phrase}, above your "
    "target of {target} kcal."
)

STARTER_AREA_RATIONALE = (
    "Nothing is logged for {noun} {phrase}. A daily target of {amount} makes it easy to track."
)


def habit(title: str, category: str, schedule: dict[str, Any], rationale: str) -> dict:
    """A suggested habit goal and its rationale (a template over `phrase`)."""
    goal = {"title": title, "category": category, "type": "habit", "schedule": schedule}
    return {"goal": goal, "rationale": rationale}


MORE_PROTEIN = habit(
    "Add a protein source to every meal",
    "nutrition",
    {"frequency": "daily"},
    "Your protein averaged {average} g a day over {days} with meals logged {phrase}, against "
    "a target of {target} g.",
)
LOG_MEALS = habit(
    "Log every meal",
    "nutrition",
    {"frequency": "daily"},
    "No meals are logged {phrase}. Logging what you eat is the first step to seeing your patterns.",
)
MINDFULNESS = habit(
    "10 minutes of mindfulness",
    "mindfulness",
    {"frequency": "weekly", "timesPerWeek": 3},
    "You have no mindfulness goal yet. Three short sessions a week are an easy place to start.",
)
# When every area is covered: the first whose title is not an active goal's, else the first.
LAST_RESORT = (
    habit(
        "Take a 10-minute walk after dinner",
        "fitness",
        {"frequency": "daily"},
        "Your areas are covered by active goals; a short evening walk is an easy extra that "
        "supports all of them.",
    ),
    habit(
        "Plan next week's meals",
        "nutrition",
        {"frequency": "weekly", "timesPerWeek": 1},
        "Your areas are covered by active goals; planning meals ahead makes the nutrition ones "
        "easier to keep.",
    ),
)
