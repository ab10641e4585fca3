"""The rules provider (`source: "rules"`): deterministic insights and goal suggestions from
a `CoachContext`, the answer whenever the model is not used or fails.

Pure functions, no I/O, no network: always available. Every insight carries the numbers it
rests on in `evidence`. The thresholds and the copy are data (`tables.py`); the modules
beside it measure the period (`measures.py`) and write one concern each: daily targets,
goal progress, nutrition, weight, suggestions.
"""

from __future__ import annotations

from .insights import insights
from .suggestions import goal_suggestions

# The `model` of a rules answer.
PLAYBOOK_MODEL = "lifestyle-rules-1"

__all__ = ["PLAYBOOK_MODEL", "goal_suggestions", "insights"]
