"""An in-memory inverted index with forgiving matching and one ranking rule for every kind of item.

Each query word must match a word of the item, by (best first) the same word, another form of it
("schedule" / "scheduling"), its beginning ("vit" / "vital"), or, for words of five letters or
more, a one-letter slip ("medicaton"). A match in the title counts three times one in the body.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from cma_desktop.search.text import MIN_FUZZY_LENGTH, deletes, stem, synonym_forms, within_one_edit, words

EXACT, FORM, PREFIX, SLIP = 4, 3, 2, 1
# A lone letter matches the beginnings of title words: in text it would match everything. Beside
# other words it is a word of its own (the "x" of "x-ray"), so it also matches itself in text.
TITLE_ONLY_BELOW = 2
TITLE_WEIGHT, BODY_WEIGHT = 3, 1
_IN_BODY, _IN_TITLE = 1, 2


def match_level(query_word: str, word: str) -> int:
    """How well one word of an item matches one query word (0: not at all)."""
    if word == query_word:
        return EXACT
    if stem(word) == stem(query_word) or word in synonym_forms(query_word):
        return FORM  # another form of the word, or a word meaning the same
    if word.startswith(query_word):
        return PREFIX
    if len(query_word) >= MIN_FUZZY_LENGTH and (within_one_edit(query_word, word) or within_one_edit(query_word, stem(word))):
        return SLIP
    return 0


@dataclass(frozen=True)
class Document:
    key: str  # kind/id, or notes:<kind/id> for a note
    group: str  # where it is shown: duties, faq, ..., notes
    title: str
    body: str


@dataclass(frozen=True)
class Hit:
    document: Document
    score: int


def score_words(query: list[str], title: str, body: str, levels: dict[tuple[str, str], int] | None = None) -> int:
    """The score of one item without an index; the same rule the index applies (0: no match).

    ``levels`` remembers word comparisons across the items of one search.
    """
    levels = {} if levels is None else levels

    def level(query_word: str, word: str) -> int:
        known = levels.get((query_word, word))
        if known is None:
            known = levels[(query_word, word)] = match_level(query_word, word)
        return known

    title_words, body_words = set(words(title)), set(words(body))
    total = 0
    for query_word in query:
        if len(query_word) >= TITLE_ONLY_BELOW:
            in_body = max((level(query_word, w) * BODY_WEIGHT for w in body_words), default=0)
        else:
            in_body = EXACT * BODY_WEIGHT if len(query) > 1 and query_word in body_words else 0
        best = max(max((level(query_word, w) * TITLE_WEIGHT for w in title_words), default=0), in_body)
        if best == 0:
            return 0
        total += best
    return total


class SlipFinder:
    """Finds words one letter away from a query word, through each word's one-letter deletions."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._variants: dict[str, set[str]] = {}
        for word in vocabulary:
            self.add(word)

    def add(self, word: str) -> None:
        if len(word) < MIN_FUZZY_LENGTH - 1:
            return
        self._variants.setdefault(word, set()).add(word)
        for variant in deletes(word):
            self._variants.setdefault(variant, set()).add(word)

    def find(self, query_word: str) -> set[str]:
        candidates = set(self._variants.get(query_word, ()))
        for variant in deletes(query_word):
            candidates |= self._variants.get(variant, set())
        return {c for c in candidates if within_one_edit(query_word, c)}


@dataclass
class SearchIndex:
    documents: list[Document | None] = field(default_factory=list)
    _postings: dict[str, dict[int, int]] = field(default_factory=dict)  # word -> {document: where}
    _forms: dict[str, dict[int, int]] = field(default_factory=dict)  # stem -> {document: where}
    _by_key: dict[str, int] = field(default_factory=dict)
    _groups: dict[str, set[int]] = field(default_factory=dict)  # group -> its documents, for per-group results
    _sorted_words: list[str] | None = None
    _slips: SlipFinder | None = None  # words and their stems; built on first need

    def __len__(self) -> int:
        return len(self._by_key)

    def add(self, document: Document) -> None:
        """Adds or replaces the document with the same key."""
        self.remove(document.key)
        number = len(self.documents)
        self.documents.append(document)
        self._by_key[document.key] = number
        self._groups.setdefault(document.group, set()).add(number)
        where: dict[str, int] = {}
        for word in words(document.body):
            where[word] = _IN_BODY
        for word in words(document.title):
            where[word] = where.get(word, 0) | _IN_TITLE
        new_words = False
        for word, flags in where.items():
            postings = self._postings.get(word)
            if postings is None:
                postings = self._postings[word] = {}
                new_words = True
                if self._slips is not None:
                    self._slips.add(word)
                    self._slips.add(stem(word))
            postings[number] = flags
            forms = self._forms.setdefault(stem(word), {})
            forms[number] = forms.get(number, 0) | flags
        if new_words:
            self._sorted_words = None

    def add_all(self, documents: Iterable[Document]) -> None:
        for document in documents:
            self.add(document)

    def remove(self, key: str) -> None:
        number = self._by_key.pop(key, None)
        if number is None:
            return
        document = self.documents[number]
        assert document is not None
        self.documents[number] = None
        self._groups.get(document.group, set()).discard(number)
        for word in set(words(document.title)) | set(words(document.body)):
            self._postings.get(word, {}).pop(number, None)
            self._forms.get(stem(word), {}).pop(number, None)

    # -- lookup ----------------------------------------------------------------------------
    def _words_starting(self, prefix: str) -> list[str]:
        if self._sorted_words is None:
            self._sorted_words = sorted(self._postings)
        start = bisect.bisect_left(self._sorted_words, prefix)
        end = bisect.bisect_left(self._sorted_words, prefix + "\U0010ffff")
        return self._sorted_words[start:end]

    def slips_of(self, query_word: str) -> set[str]:
        """Indexed words, or their stems, one letter away from the query word ("medicaton" finds
        "medication" and "medications")."""
        if self._slips is None:
            self._slips = SlipFinder([*self._postings, *self._forms])
        return self._slips.find(query_word)

    def _scores_for(self, query_word: str, among_others: bool = False) -> dict[int, int]:
        """Best score per document for one query word (among_others: the query has more words)."""
        scores: dict[int, int] = {}

        titles_only = len(query_word) < TITLE_ONLY_BELOW

        def offer(postings: dict[int, int] | None, level: int, in_text: bool = not titles_only) -> None:
            if not postings:
                return
            title_score, body_score = level * TITLE_WEIGHT, (level * BODY_WEIGHT if in_text else 0)
            get = scores.get
            for number, flags in postings.items():
                value = title_score if flags & _IN_TITLE else body_score
                if value and value > get(number, 0):
                    scores[number] = value

        # A lone letter beside other words is a word of its own: matched whole in the text too.
        offer(self._postings.get(query_word), EXACT, in_text=not titles_only or among_others)
        offer(self._forms.get(stem(query_word)), FORM)
        for other in synonym_forms(query_word):
            offer(self._postings.get(other), FORM)
        for word in self._words_starting(query_word):
            if word != query_word:
                offer(self._postings[word], PREFIX)
        if len(query_word) >= MIN_FUZZY_LENGTH:
            for word in self.slips_of(query_word):
                if word != query_word and not word.startswith(query_word):
                    offer(self._postings.get(word), SLIP)
                    offer(self._forms.get(word), SLIP)
        return scores

    def search(self, query: str, limit: int = 200, per_group: int | None = None) -> list[Hit]:
        """Documents matching every query word, best first; with per_group, the best of each group
        (so a group is never left out because another filled the limit)."""
        query_words = list(dict.fromkeys(words(query)))
        if not query_words:
            return []
        per_word = sorted((self._scores_for(w, len(query_words) > 1) for w in query_words), key=len)
        if not per_word[0]:
            return []
        totals = dict(per_word[0])
        for scores in per_word[1:]:
            totals = {n: s + scores[n] for n, s in totals.items() if n in scores}
            if not totals:
                return []
        if per_group is None:
            return self._best(totals, totals.keys(), limit)
        # The best overall by score (fast), then, for a group with too few among them (crowded out
        # by a large one, or with few matches at all), that group's own matches.
        picked: dict[str, list[int]] = {}
        for n in heapq.nlargest(limit, totals, key=totals.__getitem__):
            picked.setdefault(self.documents[n].group, []).append(n)  # type: ignore[union-attr]
        hits = []
        for group, members in self._groups.items():
            chosen = picked.get(group, [])
            if len(chosen) < per_group:
                chosen = [n for n in members if n in totals]
            if chosen:
                hits += self._best(totals, chosen, per_group)
        return hits

    def _best(self, totals: dict[int, int], numbers: Iterable[int], limit: int) -> list[Hit]:
        documents = self.documents
        # The best scores first, then shorter titles first among equal scores (then the order added).
        def order(n: int) -> tuple[int, int, int]:
            return -totals[n], len(documents[n].title), n  # type: ignore[union-attr]

        top = heapq.nlargest(limit + 1, numbers, key=totals.__getitem__)  # by score alone: a C-speed key
        if len(top) > limit and totals[top[limit]] == totals[top[limit - 1]]:  # a tie at the edge: titles decide
            top = heapq.nsmallest(limit, numbers, key=order)
        best = sorted(top, key=order)[:limit]
        return [Hit(documents[n], totals[n]) for n in best]  # type: ignore[arg-type]
