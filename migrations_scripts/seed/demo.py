"""What the demo user is: who they are, their targets, the foods and meals they eat, and
their goals. Data only; `build` turns it into items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-pass-1"
DEMO_NAME = "Dana Demo"
# The demo user's id when no user pool is involved (a table seeded on its own).
DEMO_SUB = "demo-user"
DEMO_TIMEZONE = "Europe/Berlin"
DEMO_DAYS = 28

DAILY_TARGETS = {
    "calories_kcal": 2200,
    "protein_g": 110,
    "carbs_g": 250,
    "fat_g": 75,
    "water_ml": 2500,
    "steps": 8000,
    "sleep_minutes": 450,
    "active_minutes": 40,
}

# The meal item fields of a food, in the order of the FOODS table's columns.
NUTRIENTS = ("calories_kcal", "protein_g", "carbs_g", "fat_g", "fiber_g", "sugar_g", "sodium_mg")
FOOD_FIELDS = ("quantity", "unit", *NUTRIENTS)

# name: (quantity, unit, kcal, protein g, carbs g, fat g, fiber g, sugar g, sodium mg)
FOODS: dict[str, tuple[float, str, float, float, float, float, float, float, float]] = {
    "Rolled oats": (60, "g", 228, 8, 40, 4, 6, 1, 4),
    "Greek yogurt": (150, "g", 146, 15, 6, 7, 0, 6, 54),
    "Blueberries": (80, "g", 46, 0.6, 11.6, 0.3, 1.9, 8, 1),
    "Whole-grain toast": (2, "slice", 220, 10, 38, 3, 6, 4, 380),
    "Scrambled eggs": (2, "egg", 182, 12.6, 1.4, 13.4, 0, 1.1, 342),
    "Banana": (1, "piece", 105, 1.3, 27, 0.4, 3.1, 14.4, 1),
    "Almonds": (30, "g", 174, 6.3, 6.5, 15, 3.8, 1.3, 0),
    "Chicken breast": (150, "g", 248, 46.5, 0, 5.4, 0, 0, 111),
    "Brown rice": (180, "g", 202, 4.7, 42, 1.6, 3.2, 0.5, 9),
    "Mixed salad": (100, "g", 20, 1.5, 3.5, 0.2, 2, 2, 30),
    "Olive oil": (10, "ml", 88, 0, 0, 10, 0, 0, 0),
    "Lentil soup": (350, "ml", 320, 18, 45, 6, 14, 5, 780),
    "Rye bread": (1, "slice", 83, 2.7, 15.5, 1.1, 1.9, 1.2, 193),
    "Salmon fillet": (140, "g", 290, 30, 0, 18, 0, 0, 84),
    "Roasted potatoes": (200, "g", 186, 4, 34, 4, 4, 1.5, 20),
    "Steamed broccoli": (150, "g", 52, 4.2, 10.5, 0.6, 5, 2.6, 62),
    "Whole-wheat pasta": (200, "g", 296, 12, 60, 2, 8, 1.6, 8),
    "Tomato sauce": (150, "g", 75, 2.4, 11, 2.5, 2.7, 8, 470),
    "Parmesan": (15, "g", 59, 5.4, 0.5, 3.9, 0, 0, 240),
    "Tofu stir-fry": (300, "g", 330, 22, 18, 18, 5, 7, 690),
    "Jasmine rice": (150, "g", 195, 4, 42, 0.4, 0.6, 0, 2),
    "Apple": (1, "piece", 95, 0.5, 25, 0.3, 4.4, 19, 2),
    "Hummus": (60, "g", 100, 4.8, 8.6, 5.8, 3.6, 0.2, 230),
    "Carrot sticks": (100, "g", 41, 0.9, 9.6, 0.2, 2.8, 4.7, 69),
}

MEALS: dict[str, list[tuple[str, list[str]]]] = {
    "breakfast": [
        ("Oats with yogurt and blueberries", ["Rolled oats", "Greek yogurt", "Blueberries"]),
        ("Eggs on toast", ["Scrambled eggs", "Whole-grain toast"]),
        ("Yogurt, banana and almonds", ["Greek yogurt", "Banana", "Almonds"]),
    ],
    "lunch": [
        ("Chicken rice bowl", ["Chicken breast", "Brown rice", "Mixed salad", "Olive oil"]),
        ("Lentil soup", ["Lentil soup", "Rye bread"]),
        ("Pasta leftovers", ["Whole-wheat pasta", "Tomato sauce", "Parmesan"]),
    ],
    "dinner": [
        ("Salmon with potatoes", ["Salmon fillet", "Roasted potatoes", "Steamed broccoli"]),
        ("Tofu stir-fry", ["Tofu stir-fry", "Jasmine rice"]),
        ("Pasta with tomato sauce", ["Whole-wheat pasta", "Tomato sauce", "Parmesan"]),
    ],
    "snack": [
        ("Apple and almonds", ["Apple", "Almonds"]),
        ("Hummus and carrots", ["Hummus", "Carrot sticks"]),
    ],
}

STRENGTH_NOTES = ("Upper body", "Legs and core", "Full body circuit")


@dataclass(frozen=True)
class Workout:
    """How an activity of one type goes: energy, effort and pace (no pace: no distance)."""

    kcal_per_minute: float
    intensity: str
    metres_per_minute: int | None = None


WORKOUTS = {
    "strength": Workout(6.5, "moderate"),
    "walk": Workout(4.2, "low", metres_per_minute=80),
    "run": Workout(10.5, "high", metres_per_minute=170),
    "yoga": Workout(3.3, "low"),
}


def food_entry(food: str) -> dict[str, Any]:
    """One food as a meal's item, in the shape the meals service takes it."""
    return {"name": food, **dict(zip(FOOD_FIELDS, FOODS[food], strict=True))}


@dataclass(frozen=True)
class GoalSpec:
    slug: str
    title: str
    category: str
    goal_type: str
    description: str | None = None
    schedule: dict[str, Any] | None = None
    target: dict[str, Any] | None = None
    status: str = "active"
    # Days relative to the first day of the seeded window; `end` inclusive.
    start: int = 0
    end: int | None = None
    # The day a goal that is no longer active changed its status.
    status_changed: int | None = None
    # A habit's daily reminder, local time `HH:MM`.
    reminder: str | None = None


GOALS = (
    GoalSpec(
        "meditate",
        "Meditate for 10 minutes",
        "mindfulness",
        "habit",
        "Right after breakfast, with a timer.",
        schedule={"frequency": "daily"},
        reminder="08:00",
    ),
    GoalSpec(
        "strength",
        "Strength training three times a week",
        "fitness",
        "habit",
        schedule={"frequency": "weekly", "times_per_week": 3},
    ),
    GoalSpec(
        "screens",
        "No screens after 22:00 on work nights",
        "sleep",
        "habit",
        schedule={"frequency": "daily", "days_of_week": ["mon", "tue", "wed", "thu", "fri"]},
        reminder="21:30",
    ),
    GoalSpec(
        "steps",
        "Walk 8,000 steps a day",
        "fitness",
        "target",
        target={"metric": "steps", "value": 8000, "direction": "atLeast"},
    ),
    GoalSpec(
        "water",
        "Drink 2.5 l of water a day",
        "hydration",
        "target",
        target={"metric": "waterMl", "value": 2500, "direction": "atLeast"},
    ),
    GoalSpec(
        "weight",
        "Get down to 76 kg",
        "weight",
        "target",
        "Slowly: half a kilo a week at most.",
        target={"metric": "weightKg", "value": 76, "direction": "atMost"},
        end=90,
    ),
    GoalSpec(
        "calories",
        "Stay under 2,200 kcal a day",
        "nutrition",
        "target",
        target={"metric": "caloriesKcal", "value": 2200, "direction": "atMost"},
    ),
    GoalSpec(
        "coffee",
        "One coffee a day at most",
        "nutrition",
        "habit",
        schedule={"frequency": "daily"},
        status="paused",
        status_changed=7,
    ),
    GoalSpec(
        "couch-to-5k",
        "Run 5 km without stopping",
        "fitness",
        "habit",
        "Three easy runs a week until 5 km feels fine.",
        schedule={"frequency": "weekly", "times_per_week": 3},
        status="completed",
        start=-42,
        end=-1,
        status_changed=-1,
    ),
)
