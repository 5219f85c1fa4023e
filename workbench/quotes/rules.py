"""Cold-start attribution rules for French and English, read off one sentence at a time.

A cue is a reporting, belief or intention verb (with its auxiliaries: "has said",
"a déclaré", "s'est félicité"), a French inverted incise ("a-t-il signalé",
"estime-t-elle") or a preposition ("selon", "d'après", "according to"). Around it:
- forward: the subject before the cue is the source and what follows the cue (from
  "que"/"that" or a colon, a quotation whole even over several sentences) the content;
- backward: "..., sources said." / "« ... », a déclaré le ministre.": the content comes
  before the comma, the source after the cue (inverted) or between comma and cue;
- an incise inside a quotation ("« A, a-t-il ajouté, B »") or between two quotations
  splits the content into two spans;
- a preposition's source is the noun phrase after it, its content the rest of the sentence.
A cue inside another attribution's content, or inside a quotation without an incise
comma, starts nothing. A sentence made of a cue alone ('Smith said.') takes the quotation
that closes just before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.quotes.lexicon import (ADVERBS, AMBIGUOUS, AUXILIARIES, CLOSE_QUOTES,
                                      CONTENT_OPENERS, CUE_FORMS, DETERMINERS, FRENCH_FORMS, EN_PHRASES,
                                      FR_PHRASES, FR_PREPOSITIONS, INCISE_FORMS, PRONOUNS, REACTIONS,
                                      SUBJECT_STOPS, TITLES)
from workbench.quotes.spans import (ABBREVIATIONS, after_adverbials, demonstrative, infinitive,
                                    object_before_de, pour_source)
from workbench.quotes.tokens import Token

MAX_SOURCE = 10
_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in (*EN_PHRASES, *FR_PREPOSITIONS, *FR_PHRASES):
    _PHRASES.setdefault(_phrase[0], []).append(_phrase)
_STARTS = CUE_FORMS | set(_PHRASES)
_NOT_BEFORE_VERB = (DETERMINERS - {"a"}) | {"de", "of", "to", "d", "l"}
MAX_OBJECT = 6
_FINAL = frozenset({".", "!", "?", "…", ";"})
# Prepositions that end a source read after its cue ("une voisine dans le hall").
_PREPOSITIONS = frozenset({"à", "au", "aux", "dans", "sous", "en", "sur", "pour", "avec",
                           "devant", "lors", "depuis", "par", "chez", "entre", "pendant", "face",
                           "près", "in", "at", "on", "during", "after", "with"})
_STRESSED = frozenset({"eux", "lui", "elle", "elles"})
_NAME_LINKS = frozenset({"de", "du", "des", "of", "d", "l", "’", "'", "-", "la", "the", "and",
                         "et", "for", "pour"})


@dataclass
class Found:
    """A rule's attribution as token index ranges (half-open), before it becomes spans."""

    source: tuple[int, int] | None
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]


def find_in_sentence(tokens: list[Token], lo: int, hi: int, quotes: list[tuple[int, int]],
                     taken: set[int], following: tuple[int, int] | None = None) -> list[Found]:
    """The attributions whose cue lies in the sentence of tokens ``lo``..``hi``.

    ``quotes`` are the article's quotations; ``taken`` the token indices already in an
    attribution (updated with the new ones); ``following`` the next sentence's tokens,
    the content of a reaction ("Le journal a réagi à ... . Selon lui, ...").
    """
    found = []
    i = lo
    while i < hi:
        if tokens[i].low not in _STARTS:
            i += 1
            continue
        cue = _cue_at(tokens, i, lo, hi)
        if cue is None or i in taken:
            i += 1
            continue
        kind, ranges, inverted = cue
        c0, c1 = ranges[0][0], ranges[-1][1]
        quote = _around(quotes, c0)
        incise = c0 > lo and tokens[c0 - 1].text in {",", *CLOSE_QUOTES}
        if quote is not None and not incise and inverted is None:
            i = c1
            continue
        attribution = (_preposition(tokens, lo, hi, c0, c1) if kind == "prep"
                       else _verb(tokens, lo, hi, ranges, inverted, quotes))
        i = c1
        if attribution is not None and tokens[ranges[-1][1] - 1].low in REACTIONS:
            attribution.content = [] if following is None else [
                (following[0], _content_end(tokens, *following))]
        if attribution is None or not attribution.content:
            continue
        members = _members(attribution)
        if members & taken:
            continue
        taken.update(members)
        found.append(attribution)
    return found


def _members(found: Found) -> set[int]:
    ranges = [*found.cue, *found.content, *([found.source] if found.source else [])]
    return {k for a, b in ranges for k in range(a, b)}


def _cue_at(tokens: list[Token], i: int, lo: int, hi: int):
    """(kind, cue ranges, inverted source range or None) when a cue starts at token i."""
    low = tokens[i].low
    for phrase in _PHRASES.get(low, ()):
        if tuple(t.low for t in tokens[i:i + len(phrase)]) == phrase and i + len(phrase) <= hi:
            if phrase[0] in ("according", "selon", "d", "à", "pour"):
                if phrase == ("pour",) and not pour_source(tokens, i, lo, hi):
                    continue
                return "prep", [(i, i + len(phrase))], None
            inverted = _inverted_auxiliary(tokens, lo, i)
            if inverted:  # "a-t-il fait valoir"
                return "verb", [(inverted, inverted + 1), (i, i + len(phrase))], (i - 1, i)
            return "verb", [_with_auxiliaries(tokens, lo, i, i + len(phrase))], None
    if low not in CUE_FORMS:
        return None
    # "déclare-t-il", "dit-elle": the verb, then its inverted pronoun
    after = [t.low for t in tokens[i + 1:i + 5]]
    for pattern in (["-", "t", "-"], ["-"]):
        n = len(pattern)
        if after[:n] == pattern and len(after) > n and after[n] in PRONOUNS and i + n + 2 <= hi:
            return "verb", [(i, i + 1)], (i + n + 1, i + n + 2)
    inverted = _inverted_auxiliary(tokens, lo, i)
    if inverted is not None:  # "a-t-il signalé": auxiliary, -t-, pronoun, participle
        return "verb", [(inverted, inverted + 1), (i, i + 1)], (i - 1, i)
    if i > lo and tokens[i - 1].low == "a" and low not in FRENCH_FORMS:
        return None  # "a report": the English article, not the French auxiliary
    if low in AMBIGUOUS:
        prev = tokens[i - 1] if i > lo else None
        after_opener = (i + 1 < hi and (tokens[i + 1].low in {"to", "de", "d"}
                                        or (low in FRENCH_FORMS and infinitive(tokens[i + 1])))
                        ) or any(t.low in CONTENT_OPENERS for t in tokens[i + 1:min(hi, i + 5)])
        if prev is None or not ((prev.low in AUXILIARIES and prev.low not in {"s", "’", "'"})
                                or prev.low in PRONOUNS
                                or prev.text[:1].isupper() or after_opener
                                or _after_quotation(tokens, lo, i)):
            return None
    if i > lo and tokens[i - 1].low in _NOT_BEFORE_VERB:
        return None
    cue = _with_auxiliaries(tokens, lo, i, i + 1)
    if low in INCISE_FORMS and not (cue[0] > lo and tokens[cue[0] - 1].text in {",", *CLOSE_QUOTES}):
        return None  # "lâche", "sourit": speech verbs in an incise only
    if low.startswith("déclar") and any(t.low == "s" for t in tokens[cue[0]:i]) and not any(
            t.low in CONTENT_OPENERS for t in tokens[i + 1:min(hi, i + 3)]):
        return None  # "un incendie s'est déclaré"
    return "verb", [cue], None


def _after_quotation(tokens: list[Token], lo: int, i: int) -> bool:
    """An incise: the token at i right after a closing quote and its comma ("« ... », estime")."""
    k = i - (i > lo and tokens[i - 1].text == ",")
    return k > lo and tokens[k - 1].text in CLOSE_QUOTES


def _inverted_auxiliary(tokens: list[Token], lo: int, i: int) -> int | None:
    """The auxiliary of "a-t-il signalé" (its index) when the participle at i follows it."""
    before = [t.low for t in tokens[max(lo, i - 5):i]]
    if len(before) >= 3 and before[-1] in PRONOUNS and before[-2] == "-":
        k = i - 3 if before[-3] != "t" else i - 5
        if k >= lo and tokens[k].low in AUXILIARIES:
            return k
    return None


def _with_auxiliaries(tokens: list[Token], lo: int, start: int, end: int) -> tuple[int, int]:
    """The cue widened leftwards over its auxiliaries ("has also said"), adverbs in front left out."""
    k = start
    while k > lo and tokens[k - 1].low in AUXILIARIES:
        k -= 1
    while k < start and (tokens[k].low in ADVERBS or tokens[k].low in {"’", "'"}):
        k += 1
    return k, end


def _around(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The quotation that contains token i strictly inside its marks."""
    for a, b in quotes:
        if a < i < b:
            return a, b
    return None


def _starting(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    for a, b in quotes:
        if a == i:
            return a, b
    return None


def _ending(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    for a, b in quotes:
        if b == i:
            return a, b
    return None


def _content_end(tokens: list[Token], lo: int, hi: int) -> int:
    """The sentence's end without its final full stop (a closing quote after it is kept)."""
    end = hi
    while end > lo and tokens[end - 1].text in _FINAL:
        end -= 1
    return end


def _subject(tokens: list[Token], lo: int, c0: int) -> tuple[int, int] | None:
    """The noun phrase right before a cue, read leftwards to a stop word or punctuation."""
    k = c0
    while k > lo and tokens[k - 1].low in ADVERBS:
        k -= 1
    end = k
    if k > lo and tokens[k - 1].low == "qui":
        return k - 1, k  # "la procureure, qui a requis": the relative pronoun
    while k > lo and end - k < MAX_SOURCE and (
            tokens[k - 1].low not in SUBJECT_STOPS or _joins_names(tokens, lo, k - 1)
            or (tokens[k - 1].text == "." and k - 2 >= lo and tokens[k - 2].low in ABBREVIATIONS)):
        k -= 1
    while k < end and tokens[k].low in {"’", "'", "-"}:
        k += 1
    if k == end or (end - k >= MAX_SOURCE and k > lo):
        return None
    return k, end


def _apposition(tokens: list[Token], lo: int, c0: int,
                quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """"Le ministre des Transports, Marc Duval, a déclaré que": the subject and its
    apposition before the comma as one source (None when a quotation or clause ends there)."""
    comma = c0 - 1
    if tokens[comma].text != "," or _ending(quotes, comma - 1) or _around(quotes, c0):
        return None
    last = _subject(tokens, lo, comma)
    if last is None:
        return None
    start = last[0]
    if start > lo and tokens[start - 1].text == ",":
        first = _subject(tokens, lo, start - 1)
        if first is not None and (first[0] == lo or tokens[first[0] - 1].text == ","):
            second = tokens[start]
            if not (second.text[:1].isupper() or second.low in DETERMINERS or second.low in TITLES):
                return first  # "La jeune cinéaste, née à Nevers, explique": no name there
            start = first[0]
    words = tokens[start:comma]
    if not any(t.text[:1].isupper() or t.low in TITLES for t in words):
        return None  # "Après le vote, a déclaré ...": no one named there
    return start, comma


def _joins_names(tokens: list[Token], lo: int, k: int) -> bool:
    """"Xi et Poutine", "Clinton and Kaine": a conjunction between two capitalised words."""
    return (tokens[k].low in {"et", "and"} and k > lo and k + 1 < len(tokens)
            and tokens[k - 1].text[:1].isupper() and tokens[k + 1].text[:1].isupper())


def _phrase_after(tokens: list[Token], start: int, hi: int,
                  loose: bool = False) -> tuple[int, int] | None:
    """The noun phrase right after a cue (an inverted source; a preposition's source, read
    ``loose``ly: any words up to a comma)."""
    k = start = after_adverbials(tokens, start, hi)
    if k >= hi:
        return None
    shown = demonstrative(tokens, k, hi)
    if shown:
        return shown
    first = tokens[k]
    if not (loose or first.text[:1].isupper() or first.low in DETERMINERS
            or first.low in TITLES or first.low in PRONOUNS):
        return None
    loose = loose or first.low in DETERMINERS or first.low in TITLES
    while k < hi and k - start < MAX_SOURCE:
        t = tokens[k]
        if t.text == "." and k > start and tokens[k - 1].low in ABBREVIATIONS:
            k += 1
            continue
        if t.low in SUBJECT_STOPS or t.text in _FINAL or (t.low in _PREPOSITIONS and k > start):
            break
        if not (loose or t.text[:1].isupper() or t.low in _NAME_LINKS or t.low in TITLES
                or t.low in DETERMINERS):
            break
        k += 1
    while k > start and tokens[k - 1].low in _NAME_LINKS:
        k -= 1
    if k + 1 < hi and tokens[k].text == "," and all(  # "sa directrice, Agnès Tellier-Moreau."
            t.text[:1].isupper() or t.text == "-" for t in tokens[k + 1:hi]) and hi - k <= 6:
        k = hi
    return (start, k) if k > start else None


def _verb(tokens, lo, hi, cue, inverted, quotes) -> Found | None:
    """An attribution around a verb cue (forward, backward, incise), or None."""
    end = _content_end(tokens, lo, hi)
    c0 = cue[0][0]
    c1 = max(cue[-1][1], inverted[1] if inverted else 0)
    if c0 - 3 >= lo and tokens[c0 - 1].text == "," and tokens[c0 - 2].low in _STRESSED \
            and tokens[c0 - 3].text == ",":  # "Les syndicats, eux, dénoncent"
        subject = _subject(tokens, lo, c0 - 3)
        if subject is not None:
            return Found(subject, cue, _forward(tokens, c1, end, quotes))
    if c0 > lo and tokens[c0 - 1].text in {",", *CLOSE_QUOTES}:
        source = inverted or _phrase_after(tokens, c1, end)
        apposition = _apposition(tokens, lo, c0, quotes) if source is None and c1 < end else None
        if apposition is None:
            right = max(c1, source[1] if source else c1)
            return _backward(tokens, lo, end, c0, right, source, cue, quotes)
        return Found(apposition, cue, _forward(tokens, c1, end, quotes))
    subject = inverted or _subject(tokens, lo, c0)
    left = c0 if inverted else (subject[0] if subject else c0)
    quote_follows = c1 + 1 < end and tokens[c1].text == "," and _starting(quotes, c1 + 1)
    if (c1 >= end or tokens[c1].text == ",") and left > lo and not quote_follows \
            and tokens[left - 1].text in {",", *CLOSE_QUOTES}:
        return _backward(tokens, lo, end, left, c1, subject, cue, quotes)
    if c1 >= end:
        closing = _ending(quotes, lo - 1) or _ending(quotes, lo - 2)
        if closing and left == lo:
            return Found(subject, cue, [(closing[0], closing[1] + 1)])
        return None
    return Found(subject, cue, _forward(tokens, c1, end, quotes))


def _forward(tokens, start, end, quotes) -> list[tuple[int, int]]:
    """The content after a cue: from "que"/"that"/":" when near, a quotation whole."""
    k = start
    for j in range(start, min(end, start + MAX_OBJECT)):
        if j == start and tokens[j - 1].low in FRENCH_FORMS and infinitive(tokens[j]):
            break  # "a dit espérer que ...": the infinitive opens the content
        if tokens[j].low in CONTENT_OPENERS:
            k = j + (tokens[j].text == ":")
            break
        if tokens[j].low in SUBJECT_STOPS and tokens[j].text not in {",", *CLOSE_QUOTES}:
            break
    else:
        k = object_before_de(tokens, after_adverbials(tokens, start, end), end)
    while k < end and tokens[k].text == ",":
        k += 1
    quote = _starting(quotes, k)
    if quote:
        return [(quote[0], quote[1] + 1)]
    stop = _next_clause(tokens, k, end)
    for a, b in quotes:  # a quotation opened inside the content runs to its closing mark
        if k <= a < stop < b:
            stop = b + 1
    return [(k, stop)] if stop > k else []


def _next_clause(tokens: list[Token], start: int, end: int) -> int:
    """Where another attribution starts after a comma (", son homologue a estimé que")."""
    for j in range(start + 1, end):
        if tokens[j].low not in CUE_FORMS or _cue_at(tokens, j, start, end) is None:
            continue
        subject = _subject(tokens, start, j)
        if subject and subject[0] > start and tokens[subject[0] - 1].text == ",":
            return subject[0] - 1
    return end


def _backward(tokens, lo, end, left, right, source, cue, quotes) -> Found | None:
    """Content before a comma (and after the next comma when the quotation goes on)."""
    comma = left - 1
    quote = _around(quotes, left)
    if quote is not None:  # « A, a-t-il ajouté, B »
        first = (quote[0], comma + (tokens[comma].text == ","))
        rest = right + 1 if right < len(tokens) and tokens[right].text in {",", "."} else right
        spans = [first] + ([(rest, quote[1] + 1)] if rest < quote[1] else [])
        return Found(source, cue, [s for s in spans if s[1] > s[0]])
    closing = _ending(quotes, comma) or _ending(quotes, comma - 1) or _ending(quotes, left - 1)
    start = closing[0] if closing else lo
    stop = comma if tokens[comma].text == "," else left
    content = [(start, stop)] if stop > start else []
    if right < end and tokens[right].text == ",":
        follow = _starting(quotes, right + 1)
        if follow:
            content.append((follow[0], follow[1] + 1))
    return Found(source, cue, content) if content else None


def _preposition(tokens, lo, hi, c0, c1) -> Found | None:
    """"selon X, ..." / "..., according to X": X the source, the rest the content."""
    end = _content_end(tokens, lo, hi)
    source = _phrase_after(tokens, c1, end, loose=True)
    after = source[1] if source else c1
    if c0 == lo or (c0 > lo and tokens[c0 - 1].text in {"(", "—"}):
        start = after + (after < end and tokens[after].text == ",")
        return Found(source, [(c0, c1)], [(start, end)] if end > start else [])
    stop = c0 - (tokens[c0 - 1].text == ",")
    content = [(lo, stop)] if stop > lo else []
    if after < end and tokens[after].text == ",":
        rest = after + 1
        if end > rest:
            content.append((rest, end))
    return Found(source, [(c0, c1)], content)
