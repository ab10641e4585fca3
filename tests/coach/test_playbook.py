"""The rules provider (the playbook) over hand-built days: every insight and its evidence,
worked out by hand from the days below, and the goal suggestions for the weakest areas."""

from __future__ import annotations

from datetime import date

import pytest

from lifestyle_api.coach import playbook
from lifestyle_api.coach.context import PERIODS, CoachContext
from lifestyle_api.coach.playbook.formats import AMOUNT_FORMATS
from lifestyle_api.coach.playbook.suggestions import stepping_stone
from lifestyle_api.coach.playbook.tables import (
    DAILY_TARGET_INSIGHTS,
    HABITS,
    SUGGESTION_AREAS,
    TEXT,
)
from lifestyle_api.coach.safety import is_unsafe
from lifestyle_api.coach.schemas import (
    InsightsContentSchema,
    SuggestedGoalSchema,
    SuggestionsContentSchema,
)
from lifestyle_api.goals.schemas import GoalCreateSchema
from tests.coach.days import day_figures, week_figures
from tests.support.coach import goal_view

WEEK_START = date(2026, 11, 23)  # Monday
TODAY = date(2026, 11, 26)  # Thursday: four days of the week so far
TARGETS = {
    "caloriesKcal": 2000,
    "proteinG": 90,
    "carbsG": 250,
    "fatG": 70,
    "waterMl": 2000,
    "steps": 8000,
    "sleepMinutes": 450,
    "activeMinutes": 30,
}


def due(goal_id: str, done: bool) -> dict:
    return {"goalId": goal_id, "title": goal_id, "done": done}


# Monday to Thursday. Thursday is today: the night's sleep and a weigh-in, nothing else yet.
WEEK = {
    "2026-11-23": day_figures(
        "2026-11-23",
        meals=3,
        calories=2300,
        protein=70,
        carbs=260,
        fat=80,
        active=30,
        sessions=1,
        steps=6000,
        water=1500,
        sleep=400,
        weight=80.4,
        goals=[due("A", True), due("B", True)],
    ),
    "2026-11-24": day_figures(
        "2026-11-24",
        meals=3,
        calories=2500,
        protein=60,
        carbs=300,
        fat=90,
        steps=4000,
        water=1000,
        sleep=360,
        goals=[due("A", True), due("B", False)],
    ),
    "2026-11-25": day_figures(
        "2026-11-25",
        meals=2,
        calories=2100,
        protein=65,
        carbs=240,
        fat=70,
        active=45,
        sessions=1,
        steps=9000,
        water=2000,
        sleep=450,
        weight=80.0,
        goals=[due("A", True), due("B", True)],
    ),
    "2026-11-26": day_figures(
        "2026-11-26", sleep=420, weight=79.8, goals=[due("A", True), due("B", False)]
    ),
}

GOALS = [
    goal_view(
        "01MEDITATE",
        "Meditate 10 minutes",
        category="mindfulness",
        streak_current=5,
        streak_longest=9,
        last_check_in="2026-11-25",
        check_ins=20,
    ),
    goal_view(
        "01STRETCH",
        "Stretch before bed",
        category="fitness",
        streak_longest=4,
        last_check_in="2026-11-22",
        check_ins=6,
    ),
    goal_view(
        "01STEPS",
        "Walk 8000 steps",
        category="fitness",
        goal_type="target",
        target={"metric": "steps", "value": 8000, "direction": "atLeast"},
    ),
    goal_view(
        "01JOURNAL",
        "Journal",
        status="paused",
        streak_current=3,
        streak_longest=3,
        last_check_in="2026-11-26",
    ),
]


def context(days=None, goals=GOALS, targets=TARGETS, period="week", today=TODAY) -> CoachContext:
    return CoachContext.build(
        period=period,
        today=today,
        timezone="Europe/Berlin",
        days=week_figures(WEEK_START, WEEK) if days is None else days,
        goals=goals,
        targets=targets,
    )


def by_kind(content: dict) -> dict[str, dict]:
    found = {insight["kind"]: insight for insight in content["insights"]}
    assert len(found) == len(content["insights"]), "one insight per kind"
    return found


def test_the_week_so_far_gives_one_insight_per_area_in_a_fixed_order():
    content = playbook.insights(context())
    assert [i["kind"] for i in content["insights"]] == [
        "goal_completion",
        "streak_broken",
        "streak_kept",
        "sleep",
        "steps",
        "activity",
        "hydration",
        "calories",
        "macros",
        "weight_trend",
    ]
    assert InsightsContentSchema().validate(content) == {}
    assert not is_unsafe(content)


def test_goal_completion_counts_due_and_done_over_the_days_so_far():
    insight = by_kind(playbook.insights(context()))["goal_completion"]
    # due 2 a day on Mon..Thu = 8; done 2 + 1 + 2 + 1 = 6.
    assert insight["evidence"] == {"due": 8, "done": 6, "completionPercent": 75, "daysCounted": 4}
    assert "6 of the 8 goals due (75%)" in insight["message"]


def test_streaks_kept_and_broken_come_from_active_habits_only():
    found = by_kind(playbook.insights(context()))
    assert found["streak_kept"]["evidence"] == {
        "goalId": "01MEDITATE",
        "streakCurrent": 5,
        "streakLongest": 9,
        "unit": "day",
        "habitsOnStreak": 1,  # the paused journal's streak does not count
    }
    assert "\u201cMeditate 10 minutes\u201d is on a 5-day streak" in found["streak_kept"]["message"]
    assert found["streak_broken"]["evidence"] == {
        "goalId": "01STRETCH",
        "streakCurrent": 0,
        "streakLongest": 4,
        "lastCheckInDate": "2026-11-22",
        "unit": "day",
    }


def test_sleep_averages_the_logged_nights():
    sleep = by_kind(playbook.insights(context()))["sleep"]
    # (400 + 360 + 450 + 420) / 4 = 407.5 min; 407.5 / 450 = 0.906: within 10%, "close".
    assert sleep["evidence"] == {
        "averageMinutes": 408,
        "targetMinutes": 450,
        "nightsLogged": 4,
        "nightsMet": 1,
        "targetSource": "profile",
        "status": "close",
    }
    assert sleep["title"] == "Sleep close to target"
    assert "6 h 48 min a night on average" in sleep["message"]
    assert "7 h 30 min" in sleep["message"]


def test_steps_and_water_average_only_the_days_that_have_them():
    found = by_kind(playbook.insights(context()))
    # Thursday has no steps and no water yet: (6000 + 4000 + 9000) / 3 = 6333.
    assert found["steps"]["evidence"] == {
        "averageSteps": 6333,
        "targetSteps": 8000,
        "daysLogged": 3,
        "daysMet": 1,
        "targetSource": "profile",
        "status": "below",
    }
    assert "6,333 steps a day over 3 logged days" in found["steps"]["message"]
    # (1500 + 1000 + 2000) / 3 = 1500 ml of 2000.
    assert found["hydration"]["evidence"] == {
        "averageMl": 1500,
        "targetMl": 2000,
        "daysLogged": 3,
        "daysMet": 1,
        "targetSource": "profile",
        "status": "below",
    }


def test_active_minutes_count_every_day_so_far():
    activity = by_kind(playbook.insights(context()))["activity"]
    # 30 + 0 + 45 + 0 = 75 minutes over 4 days = 18.75 a day against 30.
    assert activity["evidence"] == {
        "totalMinutes": 75,
        "averageMinutesPerDay": 19,
        "targetMinutesPerDay": 30,
        "sessions": 2,
        "daysCounted": 4,
        "daysMet": 2,
        "targetSource": "profile",
        "status": "below",
    }


def test_calories_and_macros_average_the_days_with_meals():
    found = by_kind(playbook.insights(context()))
    # (2300 + 2500 + 2100) / 3 = 2300 kcal: more than 10% over 2000.
    assert found["calories"]["evidence"] == {
        "averageKcal": 2300,
        "daysLogged": 3,
        "targetKcal": 2000,
        "status": "above",
    }
    assert found["calories"]["title"] == "Calories above target"
    # Protein 195 / 3 = 65 of 90 (0.72) is further off than carbs 800 / 3 = 267 of 250
    # (1.07) or fat 240 / 3 = 80 of 70 (1.14).
    assert found["macros"]["evidence"] == {
        "daysLogged": 3,
        "averageProteinG": 65,
        "targetProteinG": 90,
        "averageCarbsG": 267,
        "targetCarbsG": 250,
        "averageFatG": 80,
        "targetFatG": 70,
        "focus": "protein",
        "status": "below",
    }
    assert found["macros"]["title"] == "Protein below target"


def test_weight_trend_runs_from_the_first_to_the_last_weigh_in():
    weight = by_kind(playbook.insights(context()))["weight_trend"]
    assert weight["evidence"] == {
        "firstKg": 80.4,
        "lastKg": 79.8,
        "changeKg": -0.6,
        "firstDate": "2026-11-23",
        "lastDate": "2026-11-26",
        "weighIns": 3,
    }
    assert "from 80.4 kg on 2026-11-23 to 79.8 kg on 2026-11-26 (-0.6 kg)" in weight["message"]


def test_weight_trend_measures_the_distance_to_a_weight_goal():
    goal = goal_view(
        "01WEIGHT",
        "Reach 78 kg",
        category="weight",
        goal_type="target",
        target={"metric": "weightKg", "value": 78, "direction": "atMost"},
    )
    weight = by_kind(playbook.insights(context(goals=[goal])))["weight_trend"]
    assert weight["evidence"]["goalKg"] == 78.0
    assert weight["evidence"]["toGoalKg"] == 1.8


def test_days_after_today_and_before_the_period_are_ignored():
    later = day_figures("2026-11-28", steps=20000, sleep=600)
    earlier = day_figures("2026-11-22", steps=20000)
    ctx = context(days=[*week_figures(WEEK_START, WEEK), later, earlier])
    assert [d.day.isoformat() for d in ctx.days] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]
    assert by_kind(playbook.insights(ctx))["steps"]["evidence"]["averageSteps"] == 6333


def test_the_day_period_speaks_of_today():
    ctx = context(days=[WEEK["2026-11-25"]], period="day", today=date(2026, 11, 25))
    found = by_kind(playbook.insights(ctx))
    assert found["steps"]["message"].startswith("You have 9,000 steps today")
    assert found["steps"]["evidence"]["status"] == "met"
    assert found["sleep"]["message"].startswith("You slept 7 h 30 min last night")
    assert found["goal_completion"]["evidence"] == {
        "due": 2,
        "done": 2,
        "completionPercent": 100,
        "daysCounted": 1,
    }
    assert "weight_trend" not in found  # one weigh-in is no trend


def test_without_profile_targets_common_references_are_used():
    found = by_kind(playbook.insights(context(targets={})))
    assert found["steps"]["evidence"]["targetSteps"] == 8000
    assert found["steps"]["evidence"]["targetSource"] == "reference"
    assert found["sleep"]["evidence"]["targetMinutes"] == 420
    assert found["hydration"]["evidence"]["targetMl"] == 2000
    assert found["calories"]["evidence"] == {
        "averageKcal": 2300,
        "daysLogged": 3,
        "status": "noTarget",
    }
    assert "macros" not in found  # no macro targets, nothing to compare


def test_no_activity_logged_and_no_target_says_nothing_about_activity():
    quiet = [day._replace(active_minutes=0, activity_kcal=0, sessions=0) for day in WEEK.values()]
    targets = {k: v for k, v in TARGETS.items() if k != "activeMinutes"}
    found = by_kind(playbook.insights(context(days=quiet, targets=targets)))
    assert "activity" not in found


def test_weekly_habit_streaks_are_counted_in_weeks():
    goal = goal_view(
        "01RUN",
        "Run",
        category="fitness",
        frequency="weekly",
        times_per_week=2,
        streak_current=3,
        streak_longest=3,
        last_check_in="2026-11-24",
    )
    kept = by_kind(playbook.insights(context(goals=[goal])))["streak_kept"]
    assert kept["evidence"]["unit"] == "week"
    assert "3-week streak (your longest yet)" in kept["message"]


def test_an_old_broken_streak_is_not_news():
    goal = goal_view("01OLD", "Old habit", streak_longest=10, last_check_in="2026-10-01")
    assert "streak_broken" not in by_kind(playbook.insights(context(goals=[goal])))


def test_an_empty_user_gets_a_getting_started_insight():
    ctx = context(days=week_figures(WEEK_START, {}), goals=[], targets={})
    assert ctx.is_empty
    content = playbook.insights(ctx)
    assert content == {
        "insights": [
            {
                "kind": "getting_started",
                "title": "Let's get started",
                "message": "Welcome! Start by setting a first goal and logging a meal, a walk or "
                "last night's sleep; your insights build from what you log.",
                "evidence": {
                    "daysCounted": 4,
                    "mealsLogged": 0,
                    "activitiesLogged": 0,
                    "goals": 0,
                },
            }
        ]
    }
    assert InsightsContentSchema().validate(content) == {}


def test_goals_without_data_still_get_their_due_goals_counted():
    ctx = context(
        days=[day_figures("2026-11-26", goals=[due("A", False)])],
        goals=[goal_view("01A", "Read", check_ins=0)],
        targets={"steps": 8000},
        period="day",
    )
    assert [i["kind"] for i in playbook.insights(ctx)["insights"]] == ["goal_completion"]


def test_suggestions_target_the_weakest_uncovered_areas_first():
    content = playbook.goal_suggestions(context())
    assert SuggestionsContentSchema().validate(content) == {}
    assert not is_unsafe(content)
    # Ratios: activity 18.75 / 30 = 0.63, protein 65 / 90 = 0.72, water 1500 / 2000 = 0.75,
    # calories 2000 / 2300 = 0.87. Steps (0.79) already has an active goal; sleep is close.
    assert content["suggestions"] == [
        {
            "goal": {
                "title": "Be active 25 minutes a day",
                "category": "fitness",
                "type": "target",
                "target": {"metric": "activeMinutes", "value": 25, "direction": "atLeast"},
            },
            "rationale": "You averaged 19 minutes a day over 4 days this week, against a target "
            "of 30 minutes. 25 minutes is a reachable next step.",
        },
        {
            "goal": {
                "title": "Add a protein source to every meal",
                "category": "nutrition",
                "type": "habit",
                "schedule": {"frequency": "daily"},
            },
            "rationale": "Your protein averaged 65 g a day over 3 days with meals logged this "
            "week, against a target of 90 g.",
        },
        {
            "goal": {
                "title": "Drink 2,000 ml of water a day",
                "category": "hydration",
                "type": "target",
                "target": {"metric": "waterMl", "value": 2000, "direction": "atLeast"},
            },
            "rationale": "You averaged 1,500 ml a day over 3 days this week, against a target "
            "of 2,000 ml.",
        },
    ]


def test_an_empty_user_gets_starter_goals():
    ctx = context(days=week_figures(WEEK_START, {}), goals=[], targets={})
    titles = [s["goal"]["title"] for s in playbook.goal_suggestions(ctx)["suggestions"]]
    assert titles == ["Log every meal", "Walk 8,000 steps a day", "Sleep 7 hours a night"]


def test_suggestions_never_repeat_an_active_goal():
    covered = [
        goal_view("01N", "Plan meals", category="nutrition"),
        goal_view("01F", "Gym", category="fitness"),
        goal_view("01H", "Water", category="hydration"),
        goal_view("01S", "Bedtime", category="sleep"),
        goal_view("01M", "Breathe", category="mindfulness"),
    ]
    ctx = context(days=week_figures(WEEK_START, {}), goals=covered, targets={})
    assert playbook.goal_suggestions(ctx)["suggestions"] == [HABITS["last_resort"][0]]

    walking = [*covered, goal_view("01W", "Take a 10-minute walk after dinner")]
    ctx = context(days=week_figures(WEEK_START, {}), goals=walking, targets={})
    assert playbook.goal_suggestions(ctx)["suggestions"] == [HABITS["last_resort"][1]]


@pytest.mark.parametrize(
    ("average", "target", "unit", "expected"),
    [
        (6000, 8000, 500, 8000),  # 75% there: aim for the target itself
        (3000, 8000, 500, 5500),  # far off: halfway, 5500
        (200, 450, 15, 330),  # halfway is 325, rounded up to 330
        (2500, 2000, 250, 2000),  # already past it
    ],
)
def test_stepping_stone(average, target, unit, expected):
    assert stepping_stone(average, target, unit) == expected


def test_every_suggested_goal_is_a_valid_goal_body():
    contexts = [
        context(),
        context(targets={}),
        context(days=week_figures(WEEK_START, {}), goals=[], targets={}),
    ]
    for ctx in contexts:
        for suggestion in playbook.goal_suggestions(ctx)["suggestions"]:
            assert SuggestedGoalSchema().validate(suggestion["goal"]) == {}
            assert GoalCreateSchema().validate(suggestion["goal"]) == {}


def test_the_copy_has_every_period_and_status_the_insights_look_up():
    """The copy is data: a key missing from `playbook.json` would only fail when a user's
    numbers reach that branch, so every lookup table is checked whole."""
    periods = set(PERIODS)
    for name in ("goal_completion_openings", "calorie_messages", "macro_leads"):
        assert set(TEXT[name]) == periods, name
    for copy in DAILY_TARGET_INSIGHTS:
        assert set(copy.messages) == periods, copy.kind
        assert set(copy.tips) == set(TEXT["daily_target_status_titles"]), copy.kind
    calorie_statuses = {"above", "below", "onTarget", "noTarget"}
    assert set(TEXT["calorie_titles"]) == set(TEXT["calorie_tips"]) == calorie_statuses
    assert set(TEXT["macro_titles"]) == set(TEXT["macro_tips"]) == calorie_statuses - {"noTarget"}
    assert set(TEXT["macro_tips_for"]) <= set(TEXT["macros"])
    for area in SUGGESTION_AREAS:
        assert {area.title_format, area.amount_format} <= set(AMOUNT_FORMATS), area.metric
    for habit in (*HABITS["last_resort"], HABITS["log_meals"], HABITS["mindfulness"]):
        assert GoalCreateSchema().validate(habit["goal"]) == {}
