"""The cue lexicon a span model learns from its training data, and the features it gives.

Learned at training time from the gold cue spans, stored in the model's manifest (plain
JSON, no code): for each word seen often enough, the share of its occurrences inside a
gold cue; for each multi-word cue phrase seen often enough ("according to", "said in a
statement", "called on"), the share of its occurrences that were a whole gold cue. A token
gets its word's share (bucketed) and its neighbours', and whether it starts, continues or
ends the longest known cue phrase at its place. For English, ``add_word_classes`` adds each
token's part-of-speech tag and lemma (``wordclass``) and its neighbours'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from workbench.quotes.tagging import _bucket, _stem, nearest

MIN_COUNT = 3  # a word or phrase seen fewer times says nothing reliable
MAX_PHRASE = 5  # tokens in the longest cue phrase the lexicon keeps
MIN_PHRASE_SHARE = 0.2  # a phrase this rarely a cue is not marked as one
LIKELY_CUE = 0.2  # a word (or its stem) this often a cue counts as a likely cue nearby


def _runs(tags: list[str], letter: str) -> Iterable[tuple[int, int]]:
    """Half-open token ranges of the runs of one role in a tag sequence."""
    k, n = 0, len(tags)
    while k < n:
        if tags[k][2:] == letter:
            j = k + 1
            while j < n and tags[j] == "I-" + letter:
                j += 1
            yield k, j
            k = j
        else:
            k += 1


def learn_lexicon(pairs: Iterable[tuple[object, list[str]]]) -> dict:
    """The cue lexicon of (reading, gold tags) pairs: ``{"words": {word: share}, "stems":
    {stem: share}, "phrases": {"w1 w2": share}}``, rounded to 3 decimals, only what was seen
    MIN_COUNT times and at least once in a cue."""
    pairs = list(pairs)
    seen: Counter = Counter()
    cue: Counter = Counter()
    phrase_cue: Counter = Counter()
    for reading, tags in pairs:
        lows = [t.low for t in reading.tokens]
        seen.update(lows)
        cue.update(lows[k] for k, tag in enumerate(tags) if tag.endswith("-V"))
        for a, b in _runs(tags, "V"):
            if 1 < b - a <= MAX_PHRASE:
                phrase_cue[tuple(lows[a:b])] += 1
    phrases = {p for p, count in phrase_cue.items() if count >= MIN_COUNT}
    phrase_seen: Counter = Counter()
    for reading, _tags in pairs:
        lows = [t.low for t in reading.tokens]
        for k in range(len(lows)):
            for n in range(2, MAX_PHRASE + 1):
                if tuple(lows[k:k + n]) in phrases:
                    phrase_seen[tuple(lows[k:k + n])] += 1
    stem_seen: Counter = Counter()
    stem_cue: Counter = Counter()
    for w, count in seen.items():
        stem_seen[_stem(w)] += count
        stem_cue[_stem(w)] += cue[w]
    return {"words": _shares(seen, cue), "stems": _shares(stem_seen, stem_cue),
            "phrases": {" ".join(p): round(phrase_cue[p] / phrase_seen[p], 3)
                        for p in sorted(phrases)}}


def _shares(seen: Counter, cue: Counter) -> dict[str, float]:
    return {w: round(cue[w] / count, 3) for w, count in sorted(seen.items())
            if count >= MIN_COUNT and cue[w]}


def _share_bucket(share: float) -> str:
    return "0" if share < 0.02 else "1" if share < 0.1 else "2" if share < 0.3 else (
        "3" if share < 0.6 else "4")


class LexiconFeatures:
    """A learned cue lexicon ready to give each token of a sequence its features."""

    def __init__(self, lexicon: dict | None):
        lexicon = lexicon or {"words": {}, "stems": {}, "phrases": {}}
        self.words = {str(w): float(share) for w, share in lexicon["words"].items()}
        self.stems = {str(w): float(share) for w, share in lexicon["stems"].items()}
        # first word -> (phrase, its share bucket), the longest phrases first
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, share in lexicon["phrases"].items():
            if float(share) >= MIN_PHRASE_SHARE:
                words = tuple(phrase.split(" "))
                self.phrases.setdefault(words[0], []).append((words, _share_bucket(share)))
        for entries in self.phrases.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def add(self, lows: list[str], items: list[list[str]]) -> None:
        """Append the lexicon's features to each token's feature list (in place)."""
        if not self.words:
            return
        shares = [self.words.get(w, 0.0) for w in lows]
        stems = [self.stems.get(_stem(w), 0.0) for w in lows]
        buckets = [_share_bucket(share) for share in shares]
        n = len(lows)
        left, right = nearest(n, [k for k in range(n)
                                  if shares[k] >= LIKELY_CUE or stems[k] >= LIKELY_CUE])
        marks = [""] * n
        k = 0
        while k < n:
            for words, share in self.phrases.get(lows[k], ()):
                size = len(words)
                if tuple(lows[k:k + size]) == words:
                    marks[k] = "B" + share
                    for j in range(k + 1, k + size):
                        marks[j] = ("E" if j == k + size - 1 else "I") + share
                    k += size - 1
                    break
            k += 1
        for k, f in enumerate(items):
            f.append("cp=" + buckets[k])
            f.append("cps=" + _share_bucket(stems[k]))
            f.append("ll=" + ("n" if left[k] is None else _bucket(left[k])))
            f.append("lr=" + ("n" if right[k] is None else _bucket(right[k])))
            if k > 0:
                f.append("cp-1=" + buckets[k - 1])
            if k < n - 1:
                f.append("cp+1=" + buckets[k + 1])
            if marks[k]:
                f.append("ph=" + marks[k])
                f.append("ph" + marks[k][0])


def add_word_classes(tokens, items: list[list[str]], classes) -> None:
    """Append each token's part-of-speech tag (``wordclass``), its neighbours' two on each
    side, the tag bigrams around it, and its lemma and its neighbours' (in place)."""
    tags = [classes.tag(t.text, t.low) for t in tokens]
    lemmas = [classes.lemma(t.low) for t in tokens]
    n = len(tokens)
    for k, f in enumerate(items):
        f.append("pt=" + tags[k])
        for off in (-2, -1, 1, 2):
            if 0 <= k + off < n:
                f.append(f"pt{off}={tags[k + off]}")
        f.append("lm=" + lemmas[k])
        if k > 0:
            f.append(f"ptb={tags[k - 1]}|{tags[k]}")
            f.append("lm-1=" + lemmas[k - 1])
        if k < n - 1:
            f.append(f"ptn={tags[k]}|{tags[k + 1]}")
            f.append("lm+1=" + lemmas[k + 1])


def paragraph_features(reading, rules: list[str], learned: LexiconFeatures, classes=None
                       ) -> list[list[list[str]]]:
    """Every paragraph's token features (a paragraph is one sequence, so a quotation over
    several sentences is read whole): ``tagging``'s, the learned lexicon's, then the word
    classes' when given (``wordclass.WordClasses``, for English)."""
    from workbench.quotes.tagging import quote_states, sentence_features

    quotes = quote_states(reading)
    starts = frozenset(lo for lo, _hi in reading.ranges)
    out = []
    for lo, hi in reading.paragraphs:
        items = sentence_features(reading, lo, hi, rules, quotes, starts)
        learned.add([t.low for t in reading.tokens[lo:hi]], items)
        if classes is not None:
            add_word_classes(reading.tokens[lo:hi], items, classes)
        out.append(items)
    return out
