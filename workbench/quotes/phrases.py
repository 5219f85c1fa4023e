"""The noun phrases around a cue: the subject before it (with its apposition), the phrase
after it (an inverted source, a preposition's source), and the quotations a token lies in.
"""

from __future__ import annotations

from workbench.quotes.lexicon import ADVERBS, DETERMINERS, PRONOUNS, SUBJECT_STOPS, TITLES
from workbench.quotes.people import ROLE_NOUNS, role_like
from workbench.quotes.spans import ABBREVIATIONS, after_adverbials, demonstrative
from workbench.quotes.tokens import Token

MAX_SOURCE = 14
_FINAL = frozenset({".", "!", "?", "…", ";"})
_LEADING = frozenset({"après", "avant", "dans", "pendant", "lors", "selon", "depuis", "sur",
                      "à", "au", "en", "pour", "avec", "sans", "quand", "lorsque", "si", "mais",
                      "after", "before", "during", "in", "on", "at", "when", "while", "if",
                      "but", "with", "for"})
_CLITICS = frozenset({"lui", "leur", "nous", "vous", "me", "te", "y", "en"})
_QUANTIFIERS = frozenset({"plusieurs", "certains", "certaines", "quelques", "nombre", "deux",
                          "trois", "quatre", "many", "several", "some", "two", "three", "one"})
# Prepositions that end a source read after its cue ("une voisine dans le hall").
_PREPOSITIONS = frozenset({"à", "au", "aux", "dans", "sous", "en", "sur", "pour", "avec",
                           "devant", "lors", "depuis", "par", "chez", "entre", "pendant", "face",
                           "près", "in", "at", "on", "during", "after", "with"})
_THOSE = frozenset({"celui", "celle", "ceux", "celles"})
_NAME_LINKS = frozenset({"de", "du", "des", "of", "d", "l", "’", "'", "-", "la", "the", "and",
                         "et", "for", "pour"})


def around(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The quotation that contains token i strictly inside its marks."""
    for a, b in quotes:
        if a < i < b:
            return a, b
    return None


def starting(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    for a, b in quotes:
        if a == i:
            return a, b
    return None


def ending(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    for a, b in quotes:
        if b == i:
            return a, b
    return None


def subject_before(tokens: list[Token], lo: int, c0: int) -> tuple[int, int] | None:
    """The noun phrase right before a cue, read leftwards to a stop word or punctuation."""
    k = c0
    while k > lo and tokens[k - 1].low in ADVERBS:
        k -= 1
    if k - 1 > lo and tokens[k - 1].text in {"’", "'"} and tokens[k - 2].low == "l":
        k -= 2  # "L'élue l'a assuré": the object pronoun is no part of the source
    while k - 1 > lo and (tokens[k - 1].low in _CLITICS | {"ne"} or (
            tokens[k - 1].text in {"’", "'"} and tokens[k - 2].low in {"n", "m", "t"})) \
            and tokens[k - 2].low not in _PREPOSITIONS:
        k -= 1 + (tokens[k - 1].text in {"’", "'"})  # "Il lui a dit", "Elle leur a promis",
        # "La chambre y relève", "L'ancien Lyonnais n'en dit rien"
    end = k
    if k > lo and tokens[k - 1].low == "qui":  # "la procureure Amélie Fournel, qui a requis"
        named = k - 3 >= lo and tokens[k - 2].text == "," and any(
            t.text[:1].isupper() or t.low in ROLE_NOUNS for t in tokens[max(lo, k - 6):k - 2])
        return (k - 1, k) if named else None
    bracket = 0  # the tokens of an acronym in brackets, not counted in the source's length
    while k > lo and end - k - bracket < MAX_SOURCE:
        if tokens[k - 1].text == ")" and k - 3 > lo and tokens[k - 3].text == "(" \
                and tokens[k - 2].text[:1].isupper():  # "(CRE)", "(Anses)"
            k, bracket = k - 3, 3  # "La Commission de régulation de l'énergie (CRE) a proposé"
            continue
        if _dash(tokens, k - 1):
            break  # "Paris - La Cour des comptes a estimé": a dateline, no part of the source
        if not (tokens[k - 1].low not in SUBJECT_STOPS or _joins_names(tokens, lo, k - 1)
                or _hyphenated(tokens, k - 1) or (
                tokens[k - 1].text == "." and k - 2 >= lo and tokens[k - 2].low in ABBREVIATIONS)):
            break
        k -= 1
    if k - 2 >= lo and tokens[k - 1].low == "qui" and tokens[k - 2].low in _THOSE and (
            k - 2 == lo or tokens[k - 3].text in _FINAL | {",", "«", "\n"}):
        k -= 2  # "Celle qui dirige le musée depuis 2020 espère": the whole relative
    while k < end and tokens[k].low in {"’", "'", "-"}:
        k += 1
    if k == end or (end - k - bracket >= MAX_SOURCE and k > lo):
        return None
    return k, end


def apposed_subject(tokens: list[Token], lo: int, c0: int,
                quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """"Le ministre des Transports, Marc Duval, a déclaré que": the subject and its
    apposition before the comma as one source (None when a quotation or clause ends there)."""
    comma = c0 - 1
    if tokens[comma].text != "," or ending(quotes, comma - 1) or around(quotes, c0):
        return None
    last = subject_before(tokens, lo, comma)
    if last is None:
        return None
    start = last[0]
    if start - 2 >= lo and tokens[start - 1].low in {"que", "qu", "dont"} \
            and tokens[start - 2].text == ",":  # "Le rapport, que l'AFP a pu consulter, indique"
        noun = subject_before(tokens, lo, start - 2)
        return noun if noun is not None and (noun[0] == lo or tokens[noun[0] - 1].text == ",") \
            else None
    if start - 2 >= lo and tokens[start - 1].low in {"qui", "who"} and tokens[start - 2].text == ",":
        # "La société Transports Lemoine, qui exploite la ligne, a fait savoir"
        noun = subject_before(tokens, lo, start - 2)
        if noun is None or not (noun[0] == lo or tokens[noun[0] - 1].text == ","):
            return None
        start = noun[0]
        if start > lo:  # "Son avocate, Me Karine Delattre, qui défend ..., accuse"
            first = subject_before(tokens, lo, start - 1)
            if first is not None and (first[0] == lo or tokens[first[0] - 1].text == ","):
                start = first[0]
        return start, noun[1]
    parts = 1  # "Marc Duval, 45 ans, agriculteur à Pontivy, estime": up to three parts
    while start > lo and tokens[start - 1].text == "," and parts < 3:
        first = subject_before(tokens, lo, start - 1)
        if first is None or not (first[0] == lo or tokens[first[0] - 1].text == ",") \
                or tokens[first[0]].low in _LEADING:
            break  # "Après la réunion, Marc Duval, ...": an adverbial, no part of the source
        second = tokens[start]
        if parts == 2 and not second.text.isdigit():
            break  # a third part only before an age: "Marc Duval, 45 ans, agriculteur"
        if not (second.text[:1].isupper() or second.low in DETERMINERS
                or second.low in ROLE_NOUNS or second.text.isdigit()):
            return first  # "La jeune cinéaste, née à Nevers, explique": no name there
        start, parts = first[0], parts + 1
    words = tokens[start:comma]
    if not any(t.text[:1].isupper() or t.low in TITLES for t in words):
        return None  # "Après le vote, a déclaré ...": no one named there
    return start, comma


def _participle(token: Token) -> bool:
    """A past participle after a noun ("une mère de famille croisée dans le hall")."""
    return token.text.islower() and token.low.endswith(("ée", "ées", "és")) and len(token.low) > 4 \
        and token.low not in {"aînée", "aînées", "puînée"}  # "sa sœur aînée, X"


def named(tokens: list[Token], span: tuple[int, int], lo: int) -> bool:
    """Whether a subject with its apposition names someone: a comma inside it and a
    capital after the sentence's first word ("Le maire, Alain Fortier"), or a name alone
    ("Awa Ndiaye Sarr")."""
    words = tokens[span[0]:span[1]]
    alpha = [t for t in words if t.text.isalpha()]
    if len(alpha) >= 2 and all(t.text[:1].isupper() for t in alpha):
        return True
    return any(t.text == "," for t in words) and any(
        t.text[:1].isupper() and t.text.isalpha() for t in tokens[max(span[0], lo + 1):span[1]])


def _dash(tokens: list[Token], k: int) -> bool:
    """A hyphen standing alone between spaces ("Paris - Le ministère"), not inside a word."""
    return tokens[k].text == "-" and 0 < k < len(tokens) - 1 \
        and tokens[k - 1].end < tokens[k].start and tokens[k].end < tokens[k + 1].start


def _joins_names(tokens: list[Token], lo: int, k: int) -> bool:
    """"Xi et Poutine", "Clinton and Kaine": a conjunction between two capitalised words;
    or inside one noun phrase: "des Pêches et de l'Économie", "épidémiologiste à Lausanne
    et coautrice de l'article"."""
    if tokens[k].low not in {"et", "and"} or k <= lo or k + 1 >= len(tokens):
        return False
    following = tokens[k + 1]
    in_name = following.text.isalpha() and following.text.islower() \
        and following.low not in DETERMINERS and following.low not in PRONOUNS and any(
            t.text[:1].isupper() and t.text.isalpha() for t in tokens[max(lo + 1, k - 5):k])
    return (tokens[k - 1].text[:1].isupper() and following.text[:1].isupper()) or (
        tokens[k].low == "et" and (following.low in {"de", "du", "des", "d"} or in_name or (
            following.text.islower() and role_like(following.low))))


def _hyphenated(tokens: list[Token], k: int) -> bool:
    """A word glued by a hyphen to the word before it ("Lot-et-Garonne", "UFC-Que Choisir"):
    part of one name, whatever it is alone."""
    return 0 < k - 1 and tokens[k - 1].text == "-" and tokens[k - 1].end == tokens[k].start \
        and tokens[k - 2].end == tokens[k - 1].start and tokens[k - 2].text.isalnum()


_IN_NAMES = frozenset({"-", "de", "du", "le", "la", "van", "von", "d", "’", "'", "."})


def _apposed_name(tokens: list[Token], k: int, hi: int) -> int | None:
    """Where a person's name in apposition after the comma at k ends (", Jean-Michel
    Aubrac," or up to the sentence's end), else None."""
    if k + 2 >= hi or tokens[k].text != ",":
        return None
    j = k + 1  # over a determiner and a few words of description: ", l'économiste portugais X"
    if tokens[j].low in {"le", "la", "les", "l"}:
        j += 1 + (j + 1 < hi and tokens[j + 1].text in {"'", "’"})
        lead = j
        while j < hi and j - lead < 4 and tokens[j].text.isalpha() and tokens[j].text.islower():
            j += 1
    if j >= hi or not tokens[j].text[:1].isupper():
        return None
    capitals = 0
    while j < hi and j - k <= 7 and (tokens[j].text[:1].isupper() or tokens[j].low in _IN_NAMES):
        capitals += tokens[j].text[:1].isupper()
        j += 1
    while tokens[j - 1].low in _IN_NAMES - {"."}:
        j -= 1
    ends = j == hi or tokens[j].text in {",", ";", "(", "!", "?"} or (
        tokens[j - 1].text == "." and tokens[j - 2].text[:1].isupper())
    return j if 2 <= capitals <= 5 and ends else None


def phrase_after(tokens: list[Token], start: int, hi: int,
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
    counted = first.low in _QUANTIFIERS or first.text.isdigit()  # "plusieurs élus", "deux"
    if not (loose or counted or first.text[:1].isupper() or first.low in DETERMINERS
            or first.low in TITLES or first.low in PRONOUNS):
        return None
    prep, loose = loose, loose or counted or first.low in DETERMINERS or first.low in TITLES
    while k < hi and k - start < MAX_SOURCE + 6 * prep:
        t = tokens[k]
        if t.text == "." and k > start and tokens[k - 1].low in ABBREVIATIONS:
            k += 1
            continue
        if prep and t.text == "(":  # "l'Office français de la biodiversité (OFB)"
            close = next((j for j in range(k + 1, min(hi, k + 6)) if tokens[j].text == ")"), None)
            if close is not None:
                k = close + 1
                continue
        if (t.low in SUBJECT_STOPS and not (k > start and _joins_names(tokens, start, k))
                and not _hyphenated(tokens, k)) \
                or t.text in _FINAL or not prep and k > start and (
                t.low in _PREPOSITIONS or (_participle(t) and tokens[k - 1].low not in DETERMINERS
                                           and tokens[k - 1].text not in {"'", "’"})):
            break
        if not (loose or t.text[:1].isupper() or t.low in _NAME_LINKS or t.low in TITLES
                or t.low in DETERMINERS):
            break
        k += 1
    while k > start and tokens[k - 1].low in _NAME_LINKS:
        k -= 1
    if not prep and k < hi and tokens[k].low in _PREPOSITIONS:  # "son représentant au CSE
        comma = next((j for j in range(k + 1, min(hi, k + 6)) if tokens[j].text == ","), None)
        if comma is not None and _apposed_name(tokens, comma, hi):  # central, Olivier Dantec"
            k = comma
    apposed = _apposed_name(tokens, k, hi)
    if apposed:  # "sa directrice, Agnès Tellier-Moreau, devant la presse."
        k = apposed
    elif not prep and k + 1 < hi and tokens[k].text == "," and hi - k <= 12 and (
            tokens[k + 1].text.isdigit() or role_like(tokens[k + 1].low) or (
                tokens[k + 1].low in DETERMINERS and k + 2 < hi and role_like(tokens[k + 2].low))):
        k = hi  # "confie Marc Duval, 45 ans, agriculteur à Pontivy."
    return (start, k) if k > start else None
