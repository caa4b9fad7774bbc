"""What every recognizer shares: a pattern, a hit, and the two kinds of recognizer.

A `ValueRecognizer` finds one entity in one value, the way a Presidio `PatternRecognizer` does: regex
patterns with a base score, a cheap pre-test that skips values that cannot hold the entity (a phone
needs seven digits, an e-mail an ``@``), a validation step (a checksum) that confirms or rejects what a
pattern matched, and context words: the words of a column name that name the entity (``email``,
``courriel``, ``telefono``). A `ColumnRecognizer` judges a column's values together (a column of a
hundred distinct surnames is personal even when no single value is).

Recognizers hold no sampled value: hits carry offsets and scores only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float

    def compiled(self) -> re.Pattern[str]:
        return compiled_regex(self.regex)


_CACHE: dict[str, re.Pattern[str]] = {}


def compiled_regex(regex: str) -> re.Pattern[str]:
    """`re.compile`, once per pattern for the recognizers of every module."""
    compiled = _CACHE.get(regex)
    if compiled is None:
        compiled = _CACHE[regex] = re.compile(regex)
    return compiled


@dataclass(frozen=True)
class Hit:
    """One entity found in one value: where, how sure, and whether it fills the value."""

    entity: str
    start: int
    end: int
    score: float
    whole: bool  # covers (nearly) the whole value: a structured value of this entity
    clear: bool = True  # clear on its own (a valid checksum, a formatted phone), without the column name
    # clear when most values of the column are (a short national phone number of the table's region:
    # one such number proves little, a column mostly of them does)
    regional: bool = False


@dataclass(frozen=True)
class ColumnEvidence:
    """A column recognizer's verdict: the share of values that fit, and how sure it is."""

    entity: str
    share: float
    score: float


_DIGIT = re.compile(r"\d")


def digit_count(value: str) -> int:
    return len(_DIGIT.findall(value))


class Recognizer:
    """The column-name side every recognizer has: the words (any language) that name its entity.

    `names` is a regex over the column name's words joined by ``_`` that must END the name
    (``email``, ``contact_email``), so that ``email_opt_in`` or ``phone_verified`` are not the entity."""

    entity: ClassVar[str] = ""
    names: ClassVar[str] = ""
    numeric_ok: ClassVar[bool] = False  # the entity can be stored in a numeric column
    free_text: ClassVar[bool] = False  # a few clear mentions in prose are enough

    def name_regex(self) -> re.Pattern[str] | None:
        return compiled_regex(rf"(^|_)(?:{self.names})(_?\d+)?$") if self.names else None


class ValueRecognizer(Recognizer):
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    whole_from_start: ClassVar[bool] = False  # recognised by its start (an address, a user agent)
    needs_validation: ClassVar[bool] = False  # only validated matches count

    def pretest(self, value: str, digits: int) -> bool:
        """Cheap: may this value contain the entity at all?"""
        return True

    def validate(self, text: str) -> bool | None:
        """True: confirmed (a checksum holds); False: rejected; None: the pattern's score stands."""
        return None

    def analyze(self, value: str, region: str | None = None) -> list[Hit]:
        hits = []
        length = len(value.strip()) or 1
        for pattern in self.patterns:
            for match in pattern.compiled().finditer(value):
                verdict = self.validate(match.group())
                if verdict is False or (self.needs_validation and verdict is not True):
                    continue
                whole = self.whole_from_start or (match.end() - match.start()) >= 0.8 * length
                hits.append(Hit(self.entity, match.start(), match.end(), 1.0 if verdict else pattern.score, whole))
        return hits


class ColumnRecognizer(Recognizer):
    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        """The column's values together; `region` is the table's country when the data says it."""
        raise NotImplementedError
