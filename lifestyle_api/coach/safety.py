"""The last check on a model's answer: the coach coaches lifestyle, never medicine.

The system prompt asks for that; this makes sure of it. Any text of the answer (titles,
messages, rationales, goal titles and descriptions, evidence strings) naming a diagnosis,
a condition, a medication or a dose makes the whole answer unusable, and the rules answer
instead. The list errs on the side of refusing: a refused answer costs nothing but variety.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

UNSAFE_TERMS = re.compile(
    r"\b("
    r"diagnos\w*|medicat\w*|medicine\w*|prescri\w*|dosage\w*|doses?|dosing|"
    r"pills?|tablets?|capsules?|drugs?|pharmac\w*|supplement\w*|"
    r"insulin|metformin|statins?|antidepressant\w*|ibuprofen|paracetamol|acetaminophen|"
    r"aspirin|semaglutide|ozempic|wegovy|laxative\w*|diuretic\w*|steroids?|"
    r"diseases?|disorders?|syndromes?|diabet\w*|hypertension|depression|cancer\w*|"
    r"symptoms?|treatments?|therap(?:y|ies)|cure[sd]?"
    r")\b",
    re.IGNORECASE,
)


def texts(content: Any) -> Iterator[str]:
    """Every string in an answer, dictionary keys excepted (they are our field names)."""
    if isinstance(content, str):
        yield content
    elif isinstance(content, dict):
        for value in content.values():
            yield from texts(value)
    elif isinstance(content, list | tuple):
        for value in content:
            yield from texts(value)


def is_unsafe(content: Any) -> bool:
    """Whether any text of the answer strays into medical territory."""
    return any(UNSAFE_TERMS.search(text) for text in texts(content))
