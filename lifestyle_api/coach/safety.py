"""The last check on a model's answer: the coach coaches lifestyle, never medicine (API.md
"Coach"). Any text of the answer (titles, messages, rationales, goal titles and descriptions,
evidence strings) that names a medication or a supplement, gives a dose, diagnoses, reads a
symptom or a vital sign as a condition, or advises fasting for 24 hours or more or eating
under 1,200 kcal a day makes the whole answer unusable, and the rules answer instead. The
policy errs on the side of refusing: a refused answer costs nothing but variety.

Text is normalised before it is checked, so spelling cannot slip a term past the policy:

1. NFKC (full-width and styled letters, ligatures, the micro sign) and invisible characters
   (zero-width spaces and joiners, soft hyphens) removed;
2. case folded, look-alike letters of other scripts folded to Latin (Cyrillic `р`, Greek
   `ο`), accents removed, digits and symbols standing for letters inside a word read as
   letters (`m3latonin`, `ibupr0fen`);
3. punctuation and spacing collapsed into single spaces, runs of single letters joined
   (`i b u p r o f e n`), numbers written as digits (`1,000`, `1.000` and `1 000` are 1000);
4. names are also looked for across the pieces a word was split into (`ibu-pro-fen`).

The words and phrases, in English, Spanish, French and German, are `safety_policy`'s.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from . import safety_policy as policy

# Letters of other scripts that look like Latin ones, after case folding.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "б": "b",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "п": "n",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ь": "b",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "ү": "y",
        # Greek
        "α": "a",
        "β": "b",
        "γ": "y",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "μ": "u",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "σ": "o",
        "ς": "c",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        # Latin letters that stand for others
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ɡ": "g",
    }
)
# Digits and symbols that stand for letters inside a word.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_INSIDE_A_WORD = re.compile(r"(?<=[a-z])[013457@$](?=[a-z])")
# A number: thousands in groups of three (by comma, dot or space), then decimals.
_NUMBER = r"\d{1,3}(?:[,. ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
_TOKEN = re.compile(rf"{_NUMBER}|[a-z]+|\d+")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,. ]\d{3})+$")
MAX_NAME_PIECES = 4


def normalise(text: str) -> str:
    """The text as the policy reads it: words and numbers separated by single spaces."""
    return " ".join(tokens(text))


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.casefold().translate(CONFUSABLES)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = _LEET_INSIDE_A_WORD.sub(lambda m: LEET[m.group()], text)
    found = [_number(t) if t[0].isdigit() else t for t in _TOKEN.findall(text)]
    return _join_single_letters(found)


def _number(token: str) -> str:
    if _THOUSANDS.match(token):
        return re.sub(r"[,. ]", "", token)
    return token.replace(",", ".")


def _join_single_letters(found: list[str]) -> list[str]:
    """`i b u p r o f e n` -> `ibuprofen` (three letters or more in a row)."""
    joined: list[str] = []
    run: list[str] = []
    for token in [*found, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        joined.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if token:
            joined.append(token)
    return joined


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
    return any(unsafe_reasons(text) for text in texts(content))


def unsafe_reasons(text: str) -> list[str]:
    """The policy's categories the text falls into (empty when it is fine)."""
    words = tokens(text)
    spaced = " ".join(words)
    checks = {
        "medication": _names_medication(words, spaced),
        "supplement": _names_supplement(words, spaced),
        "dose": _gives_a_dose(words, spaced),
        "diagnosis": _diagnoses(words, spaced),
        "vital-sign reading": _reads_vital_signs(words, spaced),
        "symptom": bool(policy.SYMPTOMS.search(spaced)),
        "fasting": _advises_fasting(words, spaced),
        "calorie floor": _advises_too_few_calories(words),
    }
    return [reason for reason, found in checks.items() if found]


def _pieces(words: list[str]) -> Iterator[str]:
    """Every word, and every join of up to four neighbouring words (`ibu pro fen`)."""
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_NAME_PIECES, len(words)) + 1):
            piece = "".join(words[start:end])
            if not piece.isalpha():
                break
            yield piece


def _named(words: list[str], lexicon: frozenset[str]) -> bool:
    return any(piece in lexicon for piece in _pieces(words))


def _names_medication(words: list[str], spaced: str) -> bool:
    if _named(words, policy.DRUGS - {"medicine"}) or _medicine(words):
        return True
    for index, word in enumerate(words):
        if word in policy.PILLS and not _near(words, index, policy.DEVICES, 3):
            return True
    return any(part in word for word in words for part in ("tablette", "medikament"))


def _medicine(words: list[str]) -> bool:
    """`medicine`, but not the medicine ball of a workout."""
    return any(
        word == "medicine" and words[index + 1 : index + 2] != ["ball"]
        for index, word in enumerate(words)
    )


def _names_supplement(words: list[str], spaced: str) -> bool:
    if _named(words, policy.SUPPLEMENTS) or policy.SUPPLEMENT_PHRASES.search(spaced):
        return True
    if any(part in word for word in words for part in ("praparat", "erganzungsmittel")):
        return True
    nutrients = [i for i, word in enumerate(words) if word in policy.NUTRIENTS]
    return any(_near(words, index, policy.TAKE, 3, after=False) for index in nutrients)


def _gives_a_dose(words: list[str], spaced: str) -> bool:
    """A number and a unit of dose: `800 mg`, `1000 IU`, `5 I.E.`."""
    if policy.DOSE_UNIT_PHRASES.search(spaced):
        return True
    return any(
        _is_number(word) and unit in policy.DOSE_UNITS for word, unit in itertools.pairwise(words)
    )


def _diagnoses(words: list[str], spaced: str) -> bool:
    if _named(words, policy.DIAGNOSES) or policy.DIAGNOSIS_PHRASES.search(spaced):
        return True
    return any(
        word.startswith(policy.STEMS) or any(part in word for part in policy.COMPOUND_PARTS)
        for word in words
    )


def _reads_vital_signs(words: list[str], spaced: str) -> bool:
    if policy.READING_UNITS.search(spaced):
        return True
    for match in policy.VITALS.finditer(spaced):
        position = spaced[: match.start()].count(" ")
        window = words[max(0, position - 4) : position + 10]
        if policy.JUDGEMENTS & set(window):
            return True
    return False


def _advises_fasting(words: list[str], spaced: str) -> bool:
    if policy.EXTREME_FASTS.search(spaced):
        return True
    starts = [i for i, word in enumerate(words) if word in policy.FASTING]
    starts += [spaced[: m.end()].count(" ") for m in policy.NO_FOOD.finditer(spaced)]
    for start in starts:
        after = _first_duration(words[start + 1 : start + 1 + policy.FAST_REACH + 2])
        before = _first_duration(words[max(0, start - 4) : start])
        if (after or 0) >= 24 or (before or 0) >= 24:
            return True
    return False


def _first_duration(words: list[str]) -> float | None:
    """The hours of the first duration in `words` ("72 hours", "a whole day", "3 Tage")."""
    for index in range(len(words)):
        amount = _amount(words, index)
        if amount is None:
            continue
        value, unit_at = amount
        while unit_at < len(words) and words[unit_at] in policy.DURATION_FILLERS:
            unit_at += 1
        unit = words[unit_at] if unit_at < len(words) else ""
        if unit in policy.HOUR_UNITS:
            return value
        if unit in policy.DAY_UNITS:
            return value * 24
        if unit in policy.WEEK_UNITS:
            return value * 24 * 7
        if unit in {"minutes", "minute", "min", "mins", "minutos", "minuten"}:
            return value / 60
    return None


def _amount(words: list[str], index: int) -> tuple[float, int] | None:
    """The number starting at `index` (digits, or words: "seventy two") and where it ends."""
    word = words[index]
    if _is_number(word):
        return float(word), index + 1
    if word not in policy.WORD_NUMBERS:
        return None
    value = policy.WORD_NUMBERS[word]
    following = words[index + 1] if index + 1 < len(words) else ""
    if value >= 20 and policy.WORD_NUMBERS.get(following, 10) < 10:
        return value + policy.WORD_NUMBERS[following], index + 2
    return value, index + 1


def _advises_too_few_calories(words: list[str]) -> bool:
    """Under 1,200 kcal as a diet, or as advice ("eat only", "aim for", "stay under") for a
    day or for no meal in particular; a figure read from the user's log is not advice."""
    for index, word in enumerate(words[:-1]):
        unit = words[index + 1]
        if not _is_number(word) or unit not in policy.CALORIE_UNITS:
            continue
        if float(word) >= policy.CALORIE_FLOOR_KCAL:
            continue
        before = set(words[max(0, index - policy.ADVICE_REACH) : index])
        after = words[index + 2 : index + 5]
        if policy.DIETS & (set(words[max(0, index - 3) : index]) | set(after[:2])):
            return True
        daily = bool(policy.DAILY.match(" ".join(after)))
        no_meal = not policy.MEALS & set(words)
        if policy.ADVICE_CUES & before and (daily or no_meal):
            return True
    return False


def _is_number(word: str) -> bool:
    return bool(word) and word[0].isdigit()


def _near(
    words: list[str], index: int, lexicon: frozenset[str], reach: int, *, after: bool = True
) -> bool:
    window = words[max(0, index - reach) : index + (reach + 1 if after else 0)]
    return bool(lexicon & set(window))
