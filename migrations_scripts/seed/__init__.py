"""The demo user's data: four weeks of goals with streaks, check-ins, meals, activities and
health metrics (`demo` says what they are, `build` makes the items, `write` stores them).

Everything is a pure function of the user's id and the day the seed runs: ids are ULIDs
built from each item's own instant and a hash of what it is, values come from a random
generator seeded per item. So seeding twice on the same day writes the same items again and
the item count stays the same; seeding on a later day adds the days since. The profile and
goals are only created when missing (a developer's edits survive a re-seed), and each goal's
check-in days are set from the check-in items stored for it, so the two always agree.
"""

from .build import DemoData, build_demo, stable_ulid
from .demo import DEMO_DAYS, DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD, DEMO_SUB, DEMO_TIMEZONE
from .write import SeedResult, seed_demo

__all__ = [
    "DEMO_DAYS",
    "DEMO_EMAIL",
    "DEMO_NAME",
    "DEMO_PASSWORD",
    "DEMO_SUB",
    "DEMO_TIMEZONE",
    "DemoData",
    "SeedResult",
    "build_demo",
    "seed_demo",
    "stable_ulid",
]
