"""From what a person typed to the slots the ranking scores.

A slot is one thing the person asked for: a word, or an everyday phrase with the official
wordings it stands for. Each slot must be matched by a procedure for it to rank high; words of
asking ("xin", "làm giấy", "cho con") become optional slots that only help ordering.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .lexicon import LONGEST_PHRASE, NOISE_PHRASES, STOP_WORDS, SYNONYMS
from .words import search_words

# A query longer than this is not a search any more; the cap also bounds the work per query.
MAX_QUERY_WORDS = 16


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words to find together. ``fuzzy`` allows typos and prefixes: the person's own words may
    have them; the curated official wording of a synonym does not."""

    words: tuple[str, ...]
    fuzzy: bool = True
    quality: float = 1.0


@dataclass(frozen=True, slots=True)
class Slot:
    """One thing asked for; matched by any of its phrases (the best one counts)."""

    text: str
    phrases: tuple[Phrase, ...]
    optional: bool = False
    # The last word may still be being typed ("giay phep xay d").
    prefix: bool = False

    @property
    def word(self) -> str | None:
        """The single word of a plain one-word slot, else None."""
        first = self.phrases[0].words
        return first[0] if len(self.phrases) == 1 and len(first) == 1 else None


def _longest_lexicon_phrase(words: list[str], start: int) -> tuple[str, ...] | None:
    for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
        candidate = tuple(words[start : start + length])
        if candidate in SYNONYMS or candidate in NOISE_PHRASES:
            return candidate
    return None


def analyse(query: str) -> list[Slot]:
    """Slots of a query, in the order of its words."""
    words = search_words(query)[:MAX_QUERY_WORDS]
    slots: list[Slot] = []
    i = 0
    while i < len(words):
        phrase = _longest_lexicon_phrase(words, i)
        if phrase is None:
            word = words[i]
            slots.append(Slot(word, (Phrase((word,)),), optional=word in STOP_WORDS))
            i += 1
            continue
        if phrase in SYNONYMS:
            official = tuple(Phrase(p, fuzzy=False) for p in SYNONYMS[phrase])
            slots.append(Slot(" ".join(phrase), (Phrase(phrase), *official)))
        else:
            # Noise words keep their own slots so that they can still count next to name words.
            slots.extend(Slot(w, (Phrase((w,), fuzzy=False),), optional=True) for w in phrase)
        i += len(phrase)
    if slots and all(s.optional for s in slots):
        # Only asking words ("xin", "thủ tục"): they are then what the person is looking for.
        slots = [replace(s, optional=False) for s in slots]
    if slots and slots[-1].word is not None and not slots[-1].optional:
        slots[-1] = replace(slots[-1], prefix=True)
    return slots
