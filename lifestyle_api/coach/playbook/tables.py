"""The playbook's data, read from `playbook.json` beside this module: thresholds, reference
targets, and the copy of every insight and suggestion. No decisions here: the insight and
suggestion modules fill these templates.

Templates are `str.format` strings over named values the code supplies (`{phrase}` is
"today" or "this week"); amounts are written by the formats in `formats.py`, named in the
data ("grouped" 8,000, "whole" 30, "duration" 7 h 30 min, "hours" 7 hours). Copy that
differs by period is keyed by `DAY` and `WEEK`, by status with the status names the
insights report.

The file is read once, when the coach is imported: JSON, because the standard library
parses it without compiling anything first (it is part of every cold start).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ...records import Record

_DATA = json.loads(resources.files(__package__).joinpath("playbook.json").read_text("utf-8"))


class Thresholds(Record):
    """The numbers the insights compare with."""

    # Compared with when the profile sets no daily target (`targetSource: "reference"`).
    reference_targets: Mapping[str, float]
    # Within 10% of a target is "close"; calories within 10% either side are "onTarget".
    close_ratio: float
    calorie_band: float
    # A streak that ended longer ago than this is history, not news.
    recent_streak_days: int
    # A target far above today's level is split: the first step is this share of the way.
    stepping_stone_ratio: float
    suggestions_wanted: int


class DailyTargetCopy(Record):
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


class SuggestionArea(Record):
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


THRESHOLDS = Thresholds(**_DATA["thresholds"])

# Every template by name (`TEXT["streak_kept_title"]`): single templates, and mappings by
# period or status. `goal_completion_tips` lists `[lowest percent, tip]`, the first reached
# wins; `macro_tips_for` holds the tips better than the general one, by macro then status.
TEXT: Mapping[str, Any] = _DATA["text"]

# In the order the insights are given.
DAILY_TARGET_INSIGHTS = tuple(
    DailyTargetCopy(**{**copy, "evidence": tuple(map(tuple, copy["evidence"]))})
    for copy in _DATA["daily_targets"]
)

# In the order they are offered when equally weak.
SUGGESTION_AREAS = tuple(SuggestionArea(**area) for area in _DATA["suggestion_areas"])

# Suggested habit goals (`{"goal": …, "rationale": template}`) by name; `last_resort` lists
# the ones offered when every area is covered: the first whose title is not an active
# goal's, else the first.
HABITS: Mapping[str, Any] = _DATA["habits"]
