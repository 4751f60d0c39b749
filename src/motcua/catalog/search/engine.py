"""The in-memory index of procedure search and its ranking. Pure Python, no Django.

Built from plain ``Document`` values, so the ranking is a function of the catalogue's content
alone: SQLite and PostgreSQL feed the same documents and get the same order (ADR 0001).

Words: a word of the catalogue stands for itself. A word the catalogue does not have is read as
the start of a word still being typed (the last one), as one typo away from catalogue words (from
four letters), or as two words run together ("khaisinh").

Scoring, for each procedure that contains nearly as much of the query as the best one does:

- coverage: the slots of the query it matches, each weighted by how rare its words are in the
  catalogue (an inverse document frequency) and by where and how well it matched: in the name ≫
  in the keywords ≫ in the sector; exactly > as a prefix of the word being typed > with one typo;
- adjacency: consecutive typed words found next to each other in the name, or in one keyword
  phrase. Keyword phrases are the everyday wordings people type; one matched as typed lifts a
  procedure about as much as the name's greater weight in coverage;
- name coverage: the share of the name the query accounts for, so that "Đăng ký khai sinh"
  comes before "Đăng ký khai sinh có yếu tố nước ngoài" for "dang ky khai sinh";
- popularity: small; it decides between procedures that match equally well, so that the common
  procedure comes before a rare one whose name is merely a little shorter;
- then the code, so that equal scores always come out in the same order.
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import compress, pairwise

from .query import Phrase, Slot, analyse
from .words import search_words

# Where a word is found. Weights are relative to a match in the name.
NAME, KEYWORDS, SECTOR = 0, 1, 2
FIELD_WEIGHTS: tuple[float, float, float] = (1.0, 0.6, 0.3)

# How a word of the query was found.
EXACT = 1.0
PREFIX = 0.8
TYPO = 0.65
SPLIT = 0.9  # "khaisinh" found as "khai sinh"
LOOSE_PHRASE = 0.6  # all words of a phrase in the field, but not next to each other

# One typo per word only from 4 letters: with fewer, most syllables are one edit from dozens of
# others ("xay": bay, hay, may, tay …) and a typo match would be a guess. A typo may hit a
# 3-letter word ("giay" → "gia").
MIN_TYPO_LENGTH = 4
MIN_TYPO_TARGET = 3
MIN_PREFIX_LENGTH = 2
MAX_PREFIX_TERMS = 64  # the most frequent completions of a short prefix; bounds the work

RELATIVE_CUTOFF = 0.7
ADJACENCY_BONUS = 0.15
KEYWORD_ADJACENCY_BONUS = 0.25
NAME_COVERAGE_BONUS = 0.1
POPULARITY_BONUS = 0.05
CODE_MATCH_SCORE = 10.0

_KEYWORD_SEPARATORS = re.compile(r"[,;\n|]+")


@dataclass(frozen=True, slots=True)
class Document:
    """What the index knows of a procedure. ``keywords`` are comma-separated everyday phrases."""

    id: int
    code: str
    name: str
    keywords: str = ""
    sector: str = ""
    popularity: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked procedure and the parts of its score (for ``explain`` and tests)."""

    id: int
    code: str
    name: str
    score: float
    coverage: float
    adjacency: float
    keyword_adjacency: float
    name_coverage: float
    popularity: float


def within_one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap of
    two neighbouring letters (optimal string alignment distance ≤ 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if abs(la - lb) != 1:
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _interned(text: str) -> tuple[str, ...]:
    # A catalogue has a few thousand distinct words in hundreds of thousands of places: one
    # string object per word keeps the index small.
    return tuple(sys.intern(w) for w in search_words(text))


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


Variants = dict[str, float]  # vocabulary word -> quality of the match


class SearchIndex:
    """An immutable index over a set of documents; build a new one when the catalogue changes."""

    def __init__(self, documents: Iterable[Document]) -> None:
        docs = sorted(documents, key=lambda d: d.code)
        # Documents are numbered in the order of their codes, so that the number breaks ties.
        # Plain lists rather than the Document objects: the garbage collector of a web process
        # then has thousands fewer objects to walk through on every full collection.
        self._ids: list[int] = [d.id for d in docs]
        self._codes: list[str] = [d.code for d in docs]
        self._names: list[str] = [d.name for d in docs]
        self._doc_by_code: dict[str, int] = {d.code.lower(): i for i, d in enumerate(docs)}
        # Per document, per field, the word sequences of that field (keywords are several phrases).
        self._fields: list[tuple[tuple[tuple[str, ...], ...], ...]] = []
        # word -> {document: weight of the best field it occurs in}
        self._postings: dict[str, dict[int, float]] = {}
        # For the bonuses: word -> {document: times in its name}; name bigram -> documents.
        self._name_counts: dict[str, dict[int, int]] = {}
        name_bigrams: dict[tuple[str, str], list[int]] = {}
        keyword_bigrams: dict[tuple[str, str], list[int]] = {}
        sector_bigrams: dict[tuple[str, str], list[int]] = {}
        self._name_lengths: list[int] = []
        for i, doc in enumerate(docs):
            name = _interned(doc.name)
            keywords = tuple(
                phrase
                for phrase in (_interned(k) for k in _KEYWORD_SEPARATORS.split(doc.keywords))
                if phrase
            )
            sector = _interned(doc.sector)
            fields = ((name,), keywords, (sector,))
            self._fields.append(fields)
            self._name_lengths.append(len(name))
            for word in name:
                counts = self._name_counts.setdefault(word, {})
                counts[i] = counts.get(i, 0) + 1
            for bigram in dict.fromkeys(pairwise(name)):
                name_bigrams.setdefault(bigram, []).append(i)
            for bigram in dict.fromkeys(b for phrase in keywords for b in pairwise(phrase)):
                keyword_bigrams.setdefault(bigram, []).append(i)
            for bigram in dict.fromkeys(pairwise(sector)):
                sector_bigrams.setdefault(bigram, []).append(i)
            for weight, sequences in zip(FIELD_WEIGHTS, fields, strict=True):
                for sequence in sequences:
                    for word in sequence:
                        postings = self._postings.setdefault(word, {})
                        if postings.get(i, 0.0) < weight:
                            postings[i] = weight
        # Tuples: once the collector has seen they hold only numbers, it stops tracking them.
        self._name_bigrams = {k: tuple(v) for k, v in name_bigrams.items()}
        self._keyword_bigrams = {k: tuple(v) for k, v in keyword_bigrams.items()}
        self._sector_bigrams = {k: tuple(v) for k, v in sector_bigrams.items()}
        self._vocabulary: list[str] = sorted(self._postings)
        deletions: dict[str, list[str]] = {}
        for word in self._vocabulary:
            if len(word) >= MIN_TYPO_LENGTH:
                for shorter in dict.fromkeys(_deletions(word)):
                    deletions.setdefault(shorter, []).append(word)
        self._deletions: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in deletions.items()}
        count = max(len(docs), 1)
        self._idf: dict[str, float] = {
            word: 1.0 + math.log(count / len(postings)) for word, postings in self._postings.items()
        }
        self._unknown_idf = 1.0 + math.log(count)
        top = max((d.popularity for d in docs), default=0)
        scale = math.log1p(top) or 1.0
        self._popularity: list[float] = [math.log1p(max(d.popularity, 0)) / scale for d in docs]

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    # --- Words -------------------------------------------------------------------------------

    def variants(self, word: str, *, fuzzy: bool = True, prefix: bool = False) -> Variants:
        """Vocabulary words that ``word`` may stand for, best first, with the match quality.

        A word of the catalogue stands for itself only. Its typo neighbours and completions
        are nearly always other real words ("nha" -> "nhan" in thousands of "giấy chứng
        nhận"), so expanding it would drown what was asked in noise and cost time."""
        if word in self._postings:
            return {word: EXACT}
        found: Variants = {}
        if not fuzzy:
            return found
        if prefix and len(word) >= MIN_PREFIX_LENGTH:
            for completion in self._completions(word):
                found.setdefault(completion, PREFIX)
        if len(word) >= MIN_TYPO_LENGTH:
            for neighbour in self._typo_neighbours(word):
                found.setdefault(neighbour, TYPO)
        return found

    def _completions(self, start: str) -> list[str]:
        vocabulary = self._vocabulary
        words: list[str] = []
        for i in range(bisect_left(vocabulary, start), len(vocabulary)):
            word = vocabulary[i]
            if not word.startswith(start):
                break
            if word != start:
                words.append(word)
        if len(words) > MAX_PREFIX_TERMS:
            words.sort(key=lambda w: (-len(self._postings[w]), w))
            words = sorted(words[:MAX_PREFIX_TERMS])
        return words

    def _typo_neighbours(self, word: str) -> list[str]:
        # Symmetric deletion (SymSpell): two words one edit apart share a one-letter deletion,
        # or one is a deletion of the other. Candidates are then checked exactly.
        candidates: set[str] = set(self._deletions.get(word, ()))
        for shorter in _deletions(word):
            if len(shorter) >= MIN_TYPO_TARGET and shorter in self._postings:
                candidates.add(shorter)
            candidates.update(self._deletions.get(shorter, ()))
        candidates.discard(word)
        return sorted(c for c in candidates if within_one_edit(word, c))

    def _splits(self, word: str) -> list[tuple[str, str]]:
        """Two vocabulary words that ``word`` is made of ("khaisinh" -> "khai", "sinh")."""
        return [
            (word[:i], word[i:])
            for i in range(2, len(word) - 1)
            if word[:i] in self._postings and word[i:] in self._postings
        ]

    def _weight(self, variants: Variants) -> float:
        """How much a query word counts: the rarity of what it best matches."""
        if not variants:
            return self._unknown_idf
        best = max(variants.values())
        return max(self._idf[w] for w, q in variants.items() if q == best)

    # --- Matching ----------------------------------------------------------------------------

    def _word_matches(self, variants: Variants) -> Mapping[int, float]:
        if len(variants) == 1:
            ((word, quality),) = variants.items()
            if quality == EXACT:
                return self._postings[word]  # the usual case: read as is, never copied
        matches: dict[int, float] = {}
        for word, quality in variants.items():
            postings = self._postings[word]
            if not matches and quality == EXACT:
                matches = dict(postings)
                continue
            for doc, field_weight in postings.items():
                value = field_weight * quality
                if value > matches.get(doc, 0.0):
                    matches[doc] = value
        return matches

    def _phrase_matches(self, per_word: Sequence[Variants], *, loose: bool) -> dict[int, float]:
        """Documents with the words of a phrase next to each other in a field (bigram postings
        find them), valued by that field; with ``loose``, also documents that merely contain
        all the words, valued less: the person's own words may be apart ("xây … nhà"), not a
        curated wording ("chứng thực" is not "chứng nhận … thực hiện")."""
        if not per_word or any(not v for v in per_word):
            return {}
        matches: dict[int, float] = {}
        if loose:
            present = [self._word_matches(variants) for variants in per_word]
            smallest = min(present, key=len)
            for doc in set(smallest).intersection(*present):
                matches[doc] = LOOSE_PHRASE * sum(p[doc] for p in present) / len(present)
        # Two exact words found as a bigram are together by construction; longer phrases or
        # other forms are checked in the field itself (few documents by then).
        plain_pair = len(per_word) == 2 and all(list(v.values()) == [EXACT] for v in per_word)
        fields = (self._name_bigrams, self._keyword_bigrams, self._sector_bigrams)
        for where, bigrams in enumerate(fields):
            together: set[int] = set()
            for i, (left, right) in enumerate(pairwise(per_word)):
                docs: set[int] = set()
                for a in left:
                    for b in right:
                        docs.update(bigrams.get((a, b), ()))
                together = docs if i == 0 else together & docs
                if not together:
                    break
            weight = FIELD_WEIGHTS[where]
            for doc in together:
                value = (
                    weight if plain_pair else weight * _together(self._fields[doc][where], per_word)
                )
                if value > matches.get(doc, 0.0):
                    matches[doc] = value
        return matches

    def _slot_matches(
        self, expanded: list[tuple[Phrase, list[Variants]]]
    ) -> tuple[float, Mapping[int, float]]:
        """The slot's weight and, per document, how well it matches (0..1)."""
        weight = 0.0
        results: list[tuple[float, Mapping[int, float]]] = []
        for phrase, per_word in expanded:
            if len(per_word) == 1:
                found = self._word_matches(per_word[0])
            else:
                found = self._phrase_matches(per_word, loose=phrase.fuzzy)
            if found:
                weight = max(weight, sum(self._weight(v) for v in per_word) / len(per_word))
                results.append((phrase.quality, found))
        if len(results) == 1 and results[0][0] == 1.0:
            return weight, results[0][1]
        matches: dict[int, float] = {}
        for quality, found in results:
            for doc, value in found.items():
                value *= quality
                if value > matches.get(doc, 0.0):
                    matches[doc] = value
        return weight, matches

    def _expand(self, slot: Slot) -> list[tuple[Phrase, list[Variants]]]:
        phrases = list(slot.phrases)
        word = slot.word
        if word is not None and phrases[0].fuzzy and word not in self._postings:
            phrases.extend(Phrase(pair, fuzzy=False, quality=SPLIT) for pair in self._splits(word))
        return [
            (
                phrase,
                [
                    self.variants(
                        w, fuzzy=phrase.fuzzy, prefix=slot.prefix and len(phrase.words) == 1
                    )
                    for w in phrase.words
                ],
            )
            for phrase in phrases
        ]

    # --- Ranking -----------------------------------------------------------------------------

    def search_ids(
        self, query: str, *, allowed_ids: AbstractSet[int] | None = None, limit: int | None = None
    ) -> list[int]:
        """Ids of the documents matching ``query``, best first."""
        ranking = self._ranking(query, allowed_ids)
        docs = ranking.order if limit is None else ranking.order[:limit]
        return [self._ids[d] for d in docs]

    def search(
        self, query: str, *, allowed_ids: AbstractSet[int] | None = None, limit: int | None = None
    ) -> list[Hit]:
        """The documents matching ``query``, best first, with the parts of their score."""
        ranking = self._ranking(query, allowed_ids)
        docs = ranking.order if limit is None else ranking.order[:limit]
        return [Hit(self._ids[d], self._codes[d], self._names[d], *ranking.parts(d)) for d in docs]

    def _ranking(self, query: str, allowed_ids: AbstractSet[int] | None) -> _Ranking:
        slots = analyse(query)
        ranking = _Ranking(popularity=self._popularity)
        code_doc = self._doc_by_code.get(query.strip().lower())
        if code_doc is not None and (allowed_ids is None or self._ids[code_doc] in allowed_ids):
            # A procedure code typed in full (officers do) is what is wanted, above all else.
            ranking.coverage[code_doc] = 1.0
            ranking.score[code_doc] = CODE_MATCH_SCORE
        if not slots:
            ranking.order = list(ranking.score)
            return ranking
        expanded = [self._expand(slot) for slot in slots]

        # Per document (lists indexed by document number: much faster than dicts here): the
        # weighted match, and how much of the query it contains at all, wherever and however.
        scores = [0.0] * len(self._ids)
        found = [0.0] * len(self._ids)
        total_weight = 0.0
        for slot, slot_phrases in zip(slots, expanded, strict=True):
            if slot.optional:
                continue
            weight, matches = self._slot_matches(slot_phrases)
            if not matches:
                # A word nothing contains (a half-typed one, a word from outside the catalogue)
                # would lower every score alike; leaving it out keeps scores comparable.
                continue
            total_weight += weight
            for doc, value in matches.items():
                scores[doc] += weight * value
                found[doc] += weight
        if not total_weight:
            ranking.order = list(ranking.score)
            return ranking

        # Keep what contains nearly as much of the query as the best document does. The best is
        # taken before filtering, so that filtered results are the unfiltered ones restricted.
        threshold = RELATIVE_CUTOFF * max(found)
        kept = set(compress(range(len(found)), map(threshold.__le__, found)))
        if allowed_ids is not None:
            kept = {d for d in kept if self._ids[d] in allowed_ids}
        adjacency, keyword_adjacency, name_coverage = self._bonuses(kept, expanded, slots[-1])
        for doc in kept:
            if doc == code_doc:
                continue
            coverage = scores[doc] / total_weight
            score = (
                coverage
                + ADJACENCY_BONUS * adjacency.get(doc, 0.0)
                + KEYWORD_ADJACENCY_BONUS * keyword_adjacency.get(doc, 0.0)
                + NAME_COVERAGE_BONUS * name_coverage.get(doc, 0.0)
                + POPULARITY_BONUS * self._popularity[doc]
            )
            ranking.coverage[doc] = coverage
            # Rounded so that the last bits of floating point never decide an order.
            ranking.score[doc] = round(score, 9)
        ranking.adjacency = adjacency
        ranking.keyword_adjacency = keyword_adjacency
        ranking.name_coverage = name_coverage
        # Best score first, then by code: documents are numbered in the order of their codes.
        ranking.order = sorted(ranking.score, key=lambda d: (-ranking.score[d], d))
        return ranking

    def _bonuses(
        self,
        docs: AbstractSet[int],
        expanded: list[list[tuple[Phrase, list[Variants]]]],
        last: Slot,
    ) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
        """Per document: the share of consecutive words of the query found next to each other
        in its name, the same in one of its keyword phrases, and the share of its name that the
        query accounts for. All come from postings, so their cost follows the query's words,
        not the number of results."""
        # The words as typed, each with the vocabulary words it may stand for. The words of an
        # everyday phrase count here too: "lam so do" is a keyword phrase as it stands.
        typed: list[Variants] = [dict(v) for slot_phrases in expanded for v in slot_phrases[0][1]]
        if last.prefix and last.word is not None:
            # The last word may still be the start of another one even when it is a word of its
            # own or a single letter ("dang ky khai si", "dang ky khai s" -> "sinh"). Such
            # completions do not decide what matches (they would bring in thousands of
            # documents), but may show that the words belong together.
            for completion in self._completions(last.word):
                typed[-1].setdefault(completion, PREFIX)
        quality: dict[str, float] = {}
        for variants in typed:
            for word, q in variants.items():
                # A typo neighbour is a guess: it may show two words are adjacent, but
                # "giya" would credit "Gia hạn giấy phép" with both "gia" and "giay".
                if q > TYPO:
                    quality[word] = max(q, quality.get(word, 0.0))
        for slot_phrases in expanded:
            for phrase, per_word in slot_phrases[1:]:
                for variants in per_word:
                    for word, q in variants.items():
                        quality[word] = max(q * phrase.quality, quality.get(word, 0.0))

        pairs = len(typed) - 1
        in_name: dict[int, int] = {}
        in_keywords: dict[int, int] = {}
        for left, right in pairwise(typed):
            for bigrams, counts in (
                (self._name_bigrams, in_name),
                (self._keyword_bigrams, in_keywords),
            ):
                found: set[int] = set()
                for a in left:
                    for b in right:
                        found.update(bigrams.get((a, b), ()))
                for doc in found & docs:
                    counts[doc] = counts.get(doc, 0) + 1
        name_adjacency = {doc: n / pairs for doc, n in in_name.items()}
        keyword_adjacency = {doc: n / pairs for doc, n in in_keywords.items()}

        accounted: dict[int, float] = {}
        for word, q in quality.items():
            for doc, count in self._name_counts.get(word, {}).items():
                if doc in docs:
                    accounted[doc] = accounted.get(doc, 0.0) + q * count
        name_coverage = {doc: value / self._name_lengths[doc] for doc, value in accounted.items()}
        return name_adjacency, keyword_adjacency, name_coverage


@dataclass
class _Ranking:
    """The ranked documents of one query and the parts of their scores."""

    order: list[int] = field(default_factory=list)
    score: dict[int, float] = field(default_factory=dict)
    coverage: dict[int, float] = field(default_factory=dict)
    adjacency: dict[int, float] = field(default_factory=dict)
    keyword_adjacency: dict[int, float] = field(default_factory=dict)
    name_coverage: dict[int, float] = field(default_factory=dict)
    popularity: list[float] = field(default_factory=list)

    def parts(self, doc: int) -> tuple[float, float, float, float, float, float]:
        return (
            self.score[doc],
            self.coverage.get(doc, 0.0),
            self.adjacency.get(doc, 0.0),
            self.keyword_adjacency.get(doc, 0.0),
            self.name_coverage.get(doc, 0.0),
            self.popularity[doc],
        )


def _together(sequences: tuple[tuple[str, ...], ...], per_word: Sequence[Variants]) -> float:
    """The best mean match quality of the phrase's words found next to each other, in order,
    in one of the sequences of a field; 0 if they never are."""
    n = len(per_word)
    best = 0.0
    for seq in sequences:
        for start in range(len(seq) - n + 1):
            qualities = [per_word[j].get(seq[start + j], 0.0) for j in range(n)]
            if all(qualities):
                best = max(best, sum(qualities) / n)
    return best
