"""Attributions as token tags and back: the span model's features, labels and decoding.

Each paragraph is one sequence; a token is tagged ``B-`` or ``I-`` of ``S`` (source),
``V`` (cue) or ``C`` (content), or ``O`` (PolNeAR gives a token at most one role in one
attribution). Features: the word, its crude stem and suffixes and its neighbours' (three
on each side), shape, the lexicons' verdicts (cue form, auxiliary, pronoun, title), the
quotation state and the distances to the nearest quote marks and cue forms on each side,
sentence starts and ends, and the cold-start rules' own tag for the token (``features``
adds those of the cue lexicon learned in training).

Decoding turns runs of tags into spans and ties them into attributions through the
cues (two cue runs split by a source, "a-t-il signalé", are one cue; "said, adding" are
two): each content span goes to the nearest cue of the sentences it covers, or, when
they have none, to the nearest cue of the sentence before or after (a quotation over
several sentences); a cue without content is dropped. Then sources go to the remaining
cues of their sentences, nearest pairs first, one source per cue; a cue still without
one shares the nearest source before it ("X said ..., adding that ...": PolNeAR gives
both attributions the same source).
"""

from __future__ import annotations

from workbench.quotes.lexicon import (AUXILIARIES, CLOSE_QUOTES, CUE_FORMS, DETERMINERS,
                                      OPEN_QUOTES, PRONOUNS, TITLES)
from workbench.quotes.records import Attribution
from workbench.quotes.rules import Found

ROLE_TAGS = {"source": "S", "cue": "V", "content": "C"}
MAX_CUE_GAP = 4  # tokens between two cue runs of one cue split by its source ("a-t-il signalé")
LABELS = ("O", "B-S", "I-S", "B-V", "I-V", "B-C", "I-C")


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if not text[0].isalnum():
        return "p"
    if text.isupper():
        return "X" if len(text) > 1 else "Xs"
    return "Xx" if text[0].isupper() else "x"


def rule_tags(reading, found: list[Found]) -> list[str]:
    """The rules' tag of every token of the article (``O`` outside their attributions)."""
    tags = ["O"] * len(reading.tokens)
    for f in found:
        for role, ranges in (("S", [f.source] if f.source else []), ("V", f.cue),
                             ("C", f.content)):
            for a, b in ranges:
                tags[a] = "B-" + role
                for k in range(a + 1, b):
                    tags[k] = "I-" + role
    return tags


def quote_states(reading) -> list[str]:
    """``q`` inside a quotation, ``m`` on its marks, ``o`` outside, for every token."""
    states = ["o"] * len(reading.tokens)
    for a, b in reading.quotes:
        states[a] = states[b] = "m"
        for k in range(a + 1, b):
            states[k] = "q"
    return states


def _stem(word: str) -> str:
    """A crude English lemma: the word without -ing, -ed, -es or -s ("saying" -> "say")."""
    for ending in ("ing", "ed", "es", "s"):
        if len(word) > len(ending) + 2 and word.endswith(ending):
            return word[:-len(ending)]
    return word


def _bucket(d: int) -> str:
    return str(d) if d < 4 else ("m" if d < 10 else "f")


def nearest(n: int, positions: list[int]) -> tuple[list[int | None], list[int | None]]:
    """For each of ``n`` tokens, how far the nearest of ``positions`` strictly before it
    and strictly after it are (None: there is none)."""
    left: list[int | None] = [None] * n
    right: list[int | None] = [None] * n
    marked = set(positions)
    last = None
    for k in range(n):
        if last is not None:
            left[k] = k - last
        if k in marked:
            last = k
    last = None
    for k in range(n - 1, -1, -1):
        if last is not None:
            right[k] = last - k
        if k in marked:
            last = k
    return left, right


def sentence_features(reading, lo: int, hi: int, rules: list[str],
                      quotes: list[str], starts: frozenset[int] = frozenset()) -> list[list[str]]:
    """The features of each token of one sequence (``starts``: tokens opening a sentence)."""
    tokens = reading.tokens[lo:hi]
    lows = [t.low for t in tokens]
    stems = [_stem(w) for w in lows]
    shapes = [_shape(t.text) for t in tokens]
    n = len(tokens)
    cues = [k for k, w in enumerate(lows) if w in CUE_FORMS]
    marks = [k for k in range(n) if quotes[lo + k] == "m"]
    sentence = ["sq"] if any(q != "o" for q in quotes[lo:hi]) else []
    kinds = {c: _construction(lows, c) for c in cues}
    cue_left, cue_right = nearest(n, cues)
    mark_left, mark_right = nearest(n, marks)
    items = []
    for k, token in enumerate(tokens):
        w = lows[k]
        r = rules[lo + k]
        f = ["b", "w=" + w, "st=" + stems[k], "s2=" + w[-2:], "s3=" + w[-3:], "p4=" + w[:4],
             "sh=" + shapes[k], "q=" + quotes[lo + k], "r=" + r, "rw=" + r + "|" + w,
             *sentence]
        if w in CUE_FORMS:
            f.append("cue")
        if w in AUXILIARIES:
            f.append("aux")
        if w in PRONOUNS:
            f.append("pron")
        if w in TITLES:
            f.append("title")
        if w in DETERMINERS:
            f.append("det")
        if token.text in OPEN_QUOTES or token.text in CLOSE_QUOTES:
            f.append("mark")
        if lo + k in starts:
            f.append("ss")
        if lo + k + 1 in starts or k == n - 1:
            f.append("se")
        if cues:
            left, right = cue_left[k], cue_right[k]
            if k in kinds:
                d = 0
            else:  # the nearest cue form, the one before it on a tie
                d = -left if right is None or (left is not None and left <= right) else right
            f.append("dc=" + (str(d) if abs(d) < 4 else ("+" if d > 0 else "-")))
            side = "L" if d > 0 else ("R" if d < 0 else "C")
            f.append("cx=" + side + kinds[k + d])
            f.append("cxw=" + side + kinds[k + d] + "|" + shapes[k])
            f.append("cl=" + ("n" if left is None else _bucket(left)))
            f.append("cr=" + ("n" if right is None else _bucket(right)))
        else:
            f.append("nocue")
        if marks:
            f.append("ml=" + ("n" if mark_left[k] is None else _bucket(mark_left[k])))
            f.append("mr=" + ("n" if mark_right[k] is None else _bucket(mark_right[k])))
        for off in (-3, -2, -1, 1, 2, 3):
            j = k + off
            if 0 <= j < n:
                f.append(f"w{off}={lows[j]}")
                if abs(off) < 3:
                    f.append(f"r{off}={rules[lo + j]}")
                    f.append(f"st{off}={stems[j]}")
                    f.append(f"sh{off}={shapes[j]}")
                if lows[j] in CUE_FORMS:
                    f.append(f"cue{off}")
            else:
                f.append(f"w{off}=<>")
        if k > 0:
            f.append(f"bi={lows[k - 1]}|{w}")
        if k < n - 1:
            f.append(f"bn={w}|{lows[k + 1]}")
        if k == 0:
            f.append("first")
        if k >= n - 2:
            f.append("last")
        items.append(f)
    return items


_TRAILING = frozenset({".", "!", "?", "”", '"', "’", "»", "'"})
_BEFORE_SOURCE = frozenset({",", "”", '"', "»", "'", "’"})


def _construction(lows: list[str], c: int) -> str:
    """How a cue form sits in its sentence: ``b`` backward ('..., he said.'), ``e`` at the
    end without a comma before, ``f`` forward (its content follows)."""
    after = [w for w in lows[c + 1:] if w not in _TRAILING]
    end_near = len(after) <= 3
    comma_before = any(lows[j] in _BEFORE_SOURCE for j in range(max(0, c - 6), c))
    if comma_before and (end_near or after[:1] == [","]):
        return "b"
    return "e" if end_near else "f"


def gold_tags(reading, attributions: list[Attribution]) -> list[str]:
    """The tag of every token from gold attributions (first role met wins)."""
    tags = ["O"] * len(reading.tokens)
    starts = [t.start for t in reading.tokens]
    from bisect import bisect_left

    for attribution in attributions:
        for role, letter in ROLE_TAGS.items():
            for span in attribution.spans(role):
                k = bisect_left(starts, span.start)
                first = True
                while k < len(reading.tokens) and reading.tokens[k].end <= span.end:
                    if tags[k] == "O":
                        tags[k] = ("B-" if first else "I-") + letter
                    first = False
                    k += 1
    return tags


def decode(sequences: list[tuple[int, int]], tags: list[str],
           sentences: list[tuple[int, int]]) -> list[Found]:
    """Tagged tokens into attributions (rule in the module docstring).

    Runs of a role are read within each tagged sequence (a paragraph), so a content over
    several sentences stays one span; they are tied to cues by sentence.
    """
    sentence_of = [0] * (max((hi for _lo, hi in sequences), default=0))
    for n, (lo, hi) in enumerate(sentences):
        sentence_of[lo:hi] = [n] * (hi - lo)
    spans: list[tuple[str, int, int]] = []
    for lo, hi in sequences:
        k = lo
        while k < hi:
            if tags[k] == "O":
                k += 1
                continue
            role = tags[k][2:]
            j = k + 1
            while j < hi and tags[j] == "I-" + role:
                j += 1
            spans.append((role, k, j))
            k = j
    cues: list[tuple[int, int, int]] = []  # first token, last token's end, sentence
    parts: list[list[tuple[int, int]]] = []
    content_tokens = {k for role, a, b in spans if role == "C" for k in range(a, b)}
    source_tokens = {k for role, a, b in spans if role == "S" for k in range(a, b)}
    for role, a, b in spans:
        if role != "V":
            continue
        s = sentence_of[a]
        gap = range(cues[-1][1], a) if cues else range(0)
        if (cues and cues[-1][2] == s and len(gap) <= MAX_CUE_GAP
                and any(k in source_tokens for k in gap)
                and not any(k in content_tokens for k in gap)):
            cues[-1] = (cues[-1][0], b, s)  # "a-t-il signalé": one cue in two spans
            parts[-1].append((a, b))
        else:
            cues.append((a, b, s))
            parts.append([(a, b)])
    by_sentence: dict[int, list[int]] = {}
    for n, (_a, _b, s) in enumerate(cues):
        by_sentence.setdefault(s, []).append(n)
    found = [Found(None, ranges, []) for ranges in parts]
    sources = []
    for role, a, b in spans:
        if role == "V":
            continue
        first, last = sentence_of[a], sentence_of[b - 1]
        near = [n for s in range(first, last + 1) for n in by_sentence.get(s, ())]
        if not near and role == "C":
            near = by_sentence.get(first - 1) or by_sentence.get(last + 1) or []
        if role == "C" and near:
            n = min(near, key=lambda c: min(abs(cues[c][0] - b), abs(a - cues[c][1])))
            found[n].content.append((a, b))
        elif near:
            sources.append((a, b, near))
    # each source to the nearest cue that kept a content, nearest pairs first, one to one
    pairs = sorted((min(abs(cues[n][0] - b), abs(a - cues[n][1])), a, b, n)
                   for a, b, near in sources for n in near if found[n].content)
    taken = set()
    for _distance, a, b, n in pairs:
        if found[n].source is None and (a, b) not in taken:
            found[n].source = (a, b)
            taken.add((a, b))
    # a cue left without one shares the nearest source before it ("X said ..., adding")
    for _distance, a, b, n in pairs:
        if found[n].source is None and b <= cues[n][0]:
            found[n].source = (a, b)
    return [f for f in found if f.content]
