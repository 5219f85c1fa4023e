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
- a preposition's source ("selon", "d'après", "à en croire", a sentence-initial "Pour" +
  a person) is the noun phrase after it, its content the rest of the sentence; a
  sentence-final one ("..., according to X.") is read before the verbs it attributes;
- a French passive ("La fermeture est annoncée") has no source and its subject for
  content; an impersonal one ("Il est prévu que") keeps its "il" in the cue.
A cue inside another attribution's content, or inside a quotation without an incise
comma, starts nothing. A sentence made of a cue alone ('Smith said.') takes the quotation
that closes just before it. Verbs that report only in an incise ("lâche", "sourit") are
cues only there.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.quotes.cues import CLITICS, PHRASES, STARTS, after_quotation, cue_at, opens_content
from workbench.quotes.lexicon import (CLOSE_QUOTES, CONTENT_OPENERS, CUE_FORMS, FRENCH_FORMS,
                                      REACTIONS, SUBJECT_STOPS)
from workbench.quotes.people import ROLE_NOUNS
from workbench.quotes.phrases import (apposed_subject, around, ending, named, phrase_after,
                                      starting, subject_before)
from workbench.quotes.spans import (addressee_after, after_adverbials, infinitive,
                                    object_before_de, passive)
from workbench.quotes.tokens import QUOTE_MARKS, Token

MAX_OBJECT = 6
_FINAL = frozenset({".", "!", "?", "…", ";"})
_NOT_CONDITIONAL = frozenset({"portrait", "extrait", "retrait", "attrait", "distrait",
                              "abstrait", "soustrait", "trait"})
_CHANNELS = frozenset({"dans", "sur", "devant", "lors", "via", "par", "in", "on", "during"})
_STRESSED = frozenset({"eux", "lui", "elle", "elles"})


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
    for i in range(lo + 1, hi):  # "..., according to X." first: its content holds the rest
        if tokens[i].low in PHRASES and tokens[i - 1].text == "," and i not in taken:
            cue = cue_at(tokens, i, lo, hi)
            if cue is not None and cue[0] == "prep":
                found.extend(_attribution(tokens, lo, hi, cue, quotes, taken, following))
    i = lo
    while i < hi:
        if tokens[i].low not in STARTS:
            i += 1
            continue
        cue = cue_at(tokens, i, lo, hi)
        if cue is None or i in taken:
            i += 1
            continue
        i = cue[1][-1][1]
        found.extend(_attribution(tokens, lo, hi, cue, quotes, taken, following))
    return sorted(found, key=lambda f: f.cue[0][0])


def _attribution(tokens, lo, hi, cue, quotes, taken, following) -> list[Found]:
    """The attribution around a cue, or none (inside a quotation, without content, or
    overlapping one already found); ``taken`` gains its tokens."""
    kind, ranges, inverted = cue
    c0, c1 = ranges[0][0], ranges[-1][1]
    quote = around(quotes, c0)
    incise = c0 > lo and tokens[c0 - 1].text in {",", *CLOSE_QUOTES}
    if quote is not None and not incise and inverted is None:
        return []
    attribution = (_preposition(tokens, lo, hi, c0, c1) if kind == "prep"
                   else _verb(tokens, lo, hi, ranges, inverted, quotes))
    if attribution is not None and tokens[ranges[-1][1] - 1].low in REACTIONS \
            and not after_quotation(tokens, lo, c0):  # « ... », ont réagi X: the quotation
        said = following is not None and any(  # the next sentence has a reporting verb of its own
            (cue_at(tokens, k, *following) or ("",))[0] == "verb" for k in range(*following))
        attribution.content = [] if following is None or said else [
            (following[0], _content_end(tokens, *following))]
    if attribution is None or not attribution.content:
        return []
    members = _members(attribution)
    if members & taken:
        return []
    taken.update(members)
    return [attribution]


def continuation(tokens: list[Token], found: Found, sentence: tuple[int, int],
                 following: tuple[int, int], quotes: list[tuple[int, int]],
                 taken: set[int]) -> None:
    """Reported speech that goes on in the next sentence of its paragraph without a cue of
    its own ("Xi Jinping a signalé que ... . D'où la nécessité de ...", "... . Les médecins
    auraient renoncé"): that sentence becomes one more content span of ``found``."""
    lo, hi = following
    end = _content_end(tokens, lo, hi)
    last = found.content[-1] if found.content else None
    if last is None or last[1] < _content_end(tokens, *sentence) or end <= lo \
            or tokens[last[0]].text in QUOTE_MARKS or any(k in taken for k in range(lo, end)) \
            or any(tokens[k].text in QUOTE_MARKS for k in range(lo, end)):
        return
    words = [t.low for t in tokens[lo:end]]
    if words[:3] in (["d", "’", "où"], ["d", "'", "où"]) or any(
            w.endswith(("rait", "raient")) and len(w) > 5 and w not in _NOT_CONDITIONAL
            for w in words):
        found.content.append((lo, end))
        taken.update(range(lo, end))


def _members(found: Found) -> set[int]:
    ranges = [*found.cue, *found.content, *([found.source] if found.source else [])]
    return {k for a, b in ranges for k in range(a, b)}


_AUDIENCES = frozenset({"presse", "journalistes", "caméras", "micros", "médias", "jurés",
                        "députés", "sénateurs", "élus", "militants", "salariés"})
_ADDRESSEES = frozenset({"nous", "vous", "lui", "leur", "me", "m", "te"})
# Auxiliaries that follow a sentence's subject ("L'Autorité a infligé").
_FINITE = frozenset({"a", "ont", "avait", "avaient", "est", "sont", "était", "étaient"})


def _content_end(tokens: list[Token], lo: int, hi: int) -> int:
    """The sentence's end without its final full stop (a closing quote after it is kept)."""
    end = hi
    while end > lo and tokens[end - 1].text in _FINAL:
        end -= 1
    return end


def _verb(tokens, lo, hi, cue, inverted, quotes) -> Found | None:
    """An attribution around a verb cue (forward, backward, incise), or None."""
    end = _content_end(tokens, lo, hi)
    c0 = cue[0][0]
    c1 = max(cue[-1][1], inverted[1] if inverted else 0)
    if c0 - 3 >= lo and tokens[c0 - 1].text == "," and tokens[c0 - 2].low in _STRESSED \
            and tokens[c0 - 3].text == ",":  # "Les syndicats, eux, dénoncent"
        subject = subject_before(tokens, lo, c0 - 3)
        if subject is not None:
            return Found(subject, cue, _forward(tokens, c1, end, quotes))
    if c0 > lo and tokens[c0 - 1].text == "," and tokens[c0].low.endswith("ant") and not inverted:
        # "X a infligé une amende, estimant que ...": the subject of the sentence speaks
        verb = next((k for k in range(lo + 1, c0) if tokens[k].low in _FINITE), None)
        return Found(subject_before(tokens, lo, verb) if verb else None, cue,
                     _forward(tokens, c1, end, quotes))
    if c0 - 1 > lo and tokens[c0 - 1].low in _ADDRESSEES and after_quotation(tokens, lo, c0 - 1):
        c0 -= 1  # "« ... », nous confie la sénatrice": the addressee is no source
    if c0 > lo and tokens[c0 - 1].text in {",", *CLOSE_QUOTES}:
        source = inverted or phrase_after(tokens, c1, end) or _after_addressee(tokens, c1, end)
        apposition = apposed_subject(tokens, lo, c0, quotes) if c1 < end and not inverted else None
        if apposition is not None and source is not None and not named(tokens, apposition, lo) \
                and (apposition[1] == c0 - 1 or named(tokens, source, c1)):
            apposition = None  # "Les six suspects, âgés de 19 ans, ont nié"; "X reste
            # confortable, à 192 %, a souligné la directrice, Véronique Salles"
        if apposition is None and source is None and c1 >= end and not inverted:
            alone = apposed_subject(tokens, lo, c0, quotes)
            if alone is not None and named(tokens, alone, lo):
                return None  # "La présidente du groupe, Isabelle Roux, dément.": no content
        if apposition is None:
            right = max(c1, source[1] if source else c1)
            return _backward(tokens, lo, end, c0, right, source, cue, quotes)
        return Found(apposition, cue, _forward(tokens, c1, end, quotes))
    voice = None if inverted else passive(tokens, lo, c0, c1)
    if voice is not None:  # "Il est prévu que ...", "La sortie est annoncée pour mai"
        if voice < c0:
            return None if voice < 0 else Found(None, [(voice, c1)], _forward(tokens, c1, end, quotes))
        content = subject_before(tokens, lo, c0)
        k = after_adverbials(tokens, c1, end)  # "a été confirmée mercredi par la directrice"
        agent = phrase_after(tokens, k + 1, end) if k < end and tokens[k].low == "par" else None
        return Found(agent, cue, [content]) if content else None
    subject = inverted or subject_before(tokens, lo, c0) or _coordinated(tokens, lo, c0, quotes)
    left = c0 if inverted else (subject[0] if subject else c0)
    quote_follows = c1 + 1 < end and tokens[c1].text == "," and starting(quotes, c1 + 1)
    addressee = end - c1 <= 3 and not any(t.low in CONTENT_OPENERS for t in tokens[c1:end]) \
        and after_quotation(tokens, lo, left)  # '"...," she told reporters.'
    if (c1 >= end or tokens[c1].text == "," or addressee) and left > lo and not quote_follows \
            and tokens[left - 1].text in {",", *CLOSE_QUOTES}:
        return _backward(tokens, lo, end, left, c1, subject, cue, quotes)
    if c1 >= end:
        closing = ending(quotes, lo - 1) or ending(quotes, lo - 2)
        if closing and left == lo:
            return Found(subject, cue, [(closing[0], closing[1] + 1)])
        return None
    return Found(subject, cue, _forward(tokens, c1, end, quotes))


def _coordinated(tokens, lo, c0, quotes) -> tuple[int, int] | None:
    """The subject a verb after "et" or "mais" shares with the verb before it ("Le maire,
    Alain Fortier, a mis un local à disposition et promet un logement"), else None."""
    if c0 - 1 <= lo or tokens[c0 - 1].low not in {"et", "mais", "puis"}:
        return None
    verb = next((k for k in range(lo + 1, c0 - 1) if tokens[k].low in _FINITE
                 or tokens[k].low in FRENCH_FORMS), None)
    if verb is None:
        return None
    if tokens[verb - 1].text == ",":
        return apposed_subject(tokens, lo, verb, quotes) or subject_before(tokens, lo, verb - 1)
    return subject_before(tokens, lo, verb)


def _after_addressee(tokens, k, end) -> tuple[int, int] | None:
    """The inverted source after an addressee ("a indiqué à l'AFP le porte-parole",
    "a confié au Parisien Marc Duval"), else None."""
    if k >= end or tokens[k].low not in {"à", "au", "aux", "devant"}:
        return None
    j = k + 1
    while j < end and (tokens[j].low in {"l", "la", "le", "les"} or tokens[j].text in {"'", "’"}):
        j += 1
    head = j  # the addressee's one word ("l'AFP", "au Parisien", "devant la presse")
    return phrase_after(tokens, head + 1, end) if head + 1 < end and (
        tokens[head].text[:1].isupper() or tokens[head].low in _AUDIENCES) else None


def _forward(tokens, start, end, quotes) -> list[tuple[int, int]]:
    """The content after a cue: from "que"/"that"/":" when near, a quotation whole."""
    k = start
    for j in range(start, min(end, start + MAX_OBJECT)):
        if j == start and tokens[j - 1].low in FRENCH_FORMS and (
                infinitive(tokens[j]) or tokens[j].low in CLITICS and opens_content(
                    tokens, j, min(end, j + 3), marks=False)):
            return _until_clause(tokens, start, end, quotes)
        if tokens[j].low in CONTENT_OPENERS:
            k = j + (tokens[j].text == ":")
            break
        if tokens[j].low in SUBJECT_STOPS and tokens[j].text not in {",", *CLOSE_QUOTES}:
            break
    if k == start:
        k = after_adverbials(tokens, start, end)
        if not (k < end and tokens[k].low in CLITICS and opens_content(
                tokens, k, min(end, k + 3), marks=False)):  # "espère encore le convaincre"
            k = object_before_de(tokens, k, end)
        k = addressee_after(tokens, k, end)  # "told reporters she understood"
    while k < end and tokens[k].text == ",":
        k += 1
    if k < end and tokens[k].low == "par" and not _after_channel(tokens, k, end, quotes):
        return []  # "a répondu par courrier": the means, not what was said
    quote = starting(quotes, k) or _after_channel(tokens, k, end, quotes)
    if quote and (quote[0] == k or quote[1] + 1 >= end or tokens[quote[1] + 1].text == ","):
        return [(quote[0], quote[1] + 1)]
    return _until_clause(tokens, k, end, quotes)


def _until_clause(tokens, k, end, quotes) -> list[tuple[int, int]]:
    """The content from token k to the next clause, a quotation opened in it whole."""
    stop = _next_clause(tokens, k, end)
    for a, b in quotes:  # a quotation opened inside the content runs to its closing mark
        if k <= a < stop < b:
            stop = b + 1
    return [(k, stop)] if stop > k else []


def _after_channel(tokens, k, end, quotes) -> tuple[int, int] | None:
    """The quotation after a channel ("a salué dans un communiqué « ... »")."""
    if k < end and tokens[k].low in _CHANNELS:
        for a, b in quotes:
            if k < a < min(end, k + 6):
                return a, b
    return None


def _next_clause(tokens: list[Token], start: int, end: int) -> int:
    """Where another attribution starts after a comma (", son homologue a estimé que")."""
    for j in range(start + 1, end):
        if tokens[j].low not in CUE_FORMS or cue_at(tokens, j, start, end) is None:
            continue
        subject = subject_before(tokens, start, j)
        if subject and subject[0] > start and tokens[subject[0] - 1].text == "," \
                and tokens[subject[0]].low != "qui":
            return subject[0] - 1
    return end


def _backward(tokens, lo, end, left, right, source, cue, quotes) -> Found | None:
    """Content before a comma (and after the next comma when the quotation goes on)."""
    comma = left - 1
    quote = around(quotes, left)
    if quote is not None:  # « A, a-t-il ajouté, B »
        first = (quote[0], comma + (tokens[comma].text == ","))
        rest = right + 1 if right < len(tokens) and tokens[right].text in {",", "."} else right
        spans = [first] + ([(rest, quote[1] + 1)] if rest < quote[1] else [])
        return Found(source, cue, [s for s in spans if s[1] > s[0]])
    closing = ending(quotes, comma) or ending(quotes, comma - 1) or ending(quotes, left - 1)
    start = closing[0] if closing else lo
    stop = comma if tokens[comma].text == "," else left
    content = [(start, stop)] if stop > start else []
    if right < end and tokens[right].text == ",":
        follow = starting(quotes, right + 1)
        if follow:
            content.append((follow[0], follow[1] + 1))
        elif closing is None and start == lo and right + 1 < end:
            content.append((right + 1, end))  # "La réforme, a-t-il estimé, est injuste."
    return Found(source, cue, content) if content else None


def _preposition(tokens, lo, hi, c0, c1) -> Found | None:
    """"selon X, ..." / "..., according to X": X the source, the rest the content."""
    end = _content_end(tokens, lo, hi)
    source = phrase_after(tokens, c1, end, loose=True)
    after = source[1] if source else c1
    if source and after + 1 < end and tokens[after].text == "," and (
            tokens[after + 1].low in ROLE_NOUNS or tokens[after + 1].text[:1].isupper()):
        comma = next((j for j in range(after + 2, min(end, after + 12)) if tokens[j].text == ","), None)
        named = comma is not None and all(  # "Selon le procureur, Marc Vidal, ..."
            t.text[:1].isupper() or t.text == "-" for t in tokens[after + 1:comma])
        if comma is not None and (tokens[after + 1].low in ROLE_NOUNS or named):
            source, after = (source[0], comma), comma  # "Pour Annabelle Roux, secrétaire du syndicat, ..."
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
