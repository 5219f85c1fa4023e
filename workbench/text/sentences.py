"""Sentences within one block of an article: sentencex, then repairs for scraped news.

Scraped news breaks sentencex in known ways: sentences glued after a full stop ("pays.Le"),
headings glued onto the next sentence, false breaks after abbreviations ("M. Dupont"),
missed breaks after closing quotes. Each repair works on character offsets into the
original text, so offsets stay exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# --- character classes ---------------------------------------------------------

UPPER = "A-ZÀ-ÖØ-ÞŒŸ"
LOWER = "a-zß-öø-ÿœ"
_CLOSING_QUOTES = "”»’"
QUOTES = "\"”»’“«"
TERMINAL = ".!?…"
# Sentence-initial function words: a capitalised one glued onto the previous
# word is the start of a new sentence, not part of a camel-case name.
STARTERS = frozenset("""
Le La Les L Un Une Des Du De D Il Elle Ils Elles On Ce Cet Cette Ces Cela Selon Dans
Pour Après Avant Depuis Lors Mais Et Alors Pourtant Cependant Ainsi Son Sa Ses Leur
Leurs Nous Vous Je Tu Quant Pendant Face Parmi Malgré Sans Si Comme Plus Aucun Tous
Toutes Chaque Certains Une Au Aux En Sur Par Avec À Y Dès Contre Entre Outre
The This That These Those He She They We You His Her Their There After Before
According When While But And Yet Still Meanwhile However Although Since During
Despite Many Most Some Several Each Every Both All One Two Its Our Your My If
A An In On At As For From With By Of To It
""".split())
# Starters too common as the tail of a brand or name ("LinkedIn", "AddOn"):
# glued onto a capitalised word they do not count.
WEAK_STARTERS = frozenset("A An In On At As For From With By Of To It Au Aux En Sur Par Avec De Du D L À Y".split())
# Names spelled with a lower-case word glued to a capitalised one.
CAMEL_NAMES = frozenset("easyJet easyGroup airBaltic bioMérieux dailyMotion".split())
# Abbreviations after which a period does not end the sentence.
TITLES = frozenset("""
M MM Mme Mmes Mlle Mlles Me Mgr Pr Dr Drs Mr Mrs Ms Messrs Prof St Ste Sr Gen Gén
Gov Sen Rep Rev Lt Col Capt Cpt Sgt Maj Adm Cmdr Hon Pres Supt Det Insp Fr
""".split())
# Abbreviations that a capitalised name follows within the sentence ("vs. Zoomly", "av. J.-C.").
BEFORE_NAMES = frozenset("vs v av cf Cf ex".split())
# Capitalised words that follow "U.S." inside a sentence ("the U.S. District Court").
INSTITUTIONS = frozenset("""
President Senate Congress House Treasury Army Navy Air Marines Embassy Government Department
Court District Supreme Secretary Ambassador Attorney Open Capitol Federal State Central Bank
""".split())
# Abbreviations that a number follows ("p. 12", "No. 5", "art. 3").
NUMBERED = frozenset("No Nos no nos n p pp art Art vol Vol ch chap fig Fig nr Nr para env approx ca cf vs".split())
MAX_HEADING_CHARS = 150
# How far back quote marks are counted: no quotation is longer, and it keeps the
# repair pass linear on pathological input (a 5 MB line with an unclosed quote).
QUOTE_WINDOW = 2000
_CAMEL_GLUE = re.compile(r"[" + LOWER + r"](?=[" + UPPER + r"](?:[" + LOWER + r"'’]|\s))")
# A closing quote glued to a capital or to the next opening quote: «...»L', “...”“...
_QUOTE_GLUE = re.compile(r"[\"”»](?=(?:[«“\"][\s\u00a0]?)?[" + UPPER + r"])")
# A word glued to the opening quote of the next sentence: perfusion« On, exemplaires"J'estime.
_OPENING_GLUE = re.compile(r"[" + LOWER + r"](?=[«“\"][\s\u00a0]?[" + UPPER + r"])")
# A stop glued to the next sentence: "pays.Le", "trial.)\"Lazy", "renouveau ?Formé".
_STOP_GLUE = re.compile(r"(?:(?<=[" + LOWER + r"0-9%\"”»’)])[.!?]+|(?<=[" + LOWER + r"][ \u00a0\u202f])[?!]+)"
                        r"(?=[)\]\"”»’]*(?:[\"“«][\s\u00a0]?)?[" + UPPER + r"][" + LOWER + r"'’\s])")
# A stop, its closing marks and the space after it, before a capital: a sentence end sentencex missed.
_MISSED_BREAK = re.compile(r"((?<![.\s])[.!?…]+)[)\]\"”»’]*[ \u00a0\u202f\t]+(?=[(\[\"“«‘]?[" + UPPER + r"])")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_ALNUM = re.compile(r"[^\W_]")
_GLUED_START = re.compile(r"(?:[\"“«(][\s\u00a0]?)?[" + UPPER + r"][" + LOWER + r"'’\s]")


# --- sentences within a block ----------------------------------------------------

def looks_like_heading(content: str) -> bool:
    """Short, capitalised, and not ended like a sentence."""
    stripped = content.strip()
    words = stripped.split()
    if not words or len(words) > 20 or len(stripped) > MAX_HEADING_CHARS:
        return False
    last = stripped.rstrip(QUOTES + " \u00a0")[-1:]
    first = stripped.lstrip(QUOTES + "( \u00a0")[:1]
    return last not in TERMINAL + ",;:" and (first.isupper() or first.isdigit())


def sentence_spans(text: str, start: int, end: int, lang: str, role: str) -> Iterator[tuple[int, int, str]]:
    """Sentences of one block: sentencex, then the repair pass."""
    spans = _merge_false_breaks(text, list(_base_spans(text, start, end, lang)))
    for span_start, span_end in spans:
        for sub_start, sub_end in _split_missed_breaks(text, span_start, span_end):
            for piece_start, piece_end, piece_role in _split_glued(text, sub_start, sub_end):
                yield piece_start, piece_end, role if piece_role == "body" else piece_role


def _base_spans(text: str, start: int, end: int, lang: str) -> Iterator[tuple[int, int]]:
    """Sentence spans from sentencex, whitespace trimmed."""
    import sentencex

    offset = start
    for piece in sentencex.segment(lang or "en", text[start:end]):
        span = trim_span(text, offset, offset + len(piece))
        offset += len(piece)
        if span:
            yield span


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def has_word(text: str, start: int, end: int) -> bool:
    """Whether a span holds a letter or digit (a line of "***" or "—" is no sentence)."""
    return _ALNUM.search(text, start, end) is not None


# --- repairs: false breaks -------------------------------------------------------

def _merge_false_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans that sentencex split after an abbreviation or before a lower-case word."""
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and _is_false_break(text, merged[-1], span):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _is_false_break(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether a break between two spans cuts one sentence in two."""
    head = text[after[0]:after[0] + 2]
    if before[1] == after[0] and not _GLUED_START.match(text, after[0]):
        return True  # "report.PDF", "Node.JS": no space and no sentence-like start
    if head[:1] in ",;:)]" or (head[:1] == "-" and head[1:].isalpha()):
        return True  # "J.-C.", "c.-à-d.": a sentence never starts with these
    if head[:1].islower() and not _is_camel(text, after[0]):
        return True
    if text[before[0]:before[1] - 1].isdigit() and text[before[1] - 1] in ".)":
        return True  # a list number: "1. Close the school."
    if text[before[1] - 1] != ".":
        return False
    word = _word_before(text, before[0], before[1] - 1)
    if head[:1].isdigit():
        return word in NUMBERED
    return head[:1].isupper() and _keeps_capital(text, before[0], before[1] - 1, word, after[0])


def _word_before(text: str, start: int, position: int) -> str:
    """The run of letters ending at position (the word an abbreviation period follows)."""
    i = position
    while i > start and text[i - 1].isalpha():
        i -= 1
    return text[i:position]


def _keeps_capital(text: str, start: int, period: int, word: str, next_start: int) -> bool:
    """Whether a period before a capitalised word belongs to an abbreviation, not a sentence end."""
    if word in TITLES or word in BEFORE_NAMES:
        return True  # "M. Dupont", "Dr. Okafor", "Alvarez vs. Zoomly"
    if len(word) != 1 or not word.isupper():
        return False
    if period - start < 2 or text[period - 2] in " (\u00a0":
        return True  # an initial: "Harriet O. Blake", "J. K. Rowling"
    if text[period - 2] != ".":
        return False  # "52 av. J.-C. Une datation"
    # A dotted acronym ("U.S."): it ends the sentence only if what follows reads as a new one.
    words = text[next_start:next_start + 60].split()
    following = words[0].strip("\"“«(") if words else ""
    if following in STARTERS:
        return False
    return following in INSTITUTIONS or len(words) < 2 or not words[1][:1].islower()


def _is_camel(text: str, position: int) -> bool:
    """Whether the word at position is spelled like "iPhone" or "eBay"."""
    match = _FIRST_WORD.match(text, position)
    return bool(match) and any(c.isupper() for c in match.group()[1:])


def _split_missed_breaks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span at sentence ends that sentencex kept (after "etc.", URLs, "Jr.", ")")."""
    for match in _MISSED_BREAK.finditer(text, start, end):
        cut = _after_closing_quotes(text, start, match.end(1))
        if text[cut:match.end()].strip():
            continue  # a quote mark that opens the next sentence is not whitespace
        if _is_sentence_end(text, start, match, cut):
            yield start, cut
            start = match.end()
    yield start, end


def _is_sentence_end(text: str, start: int, match: re.Match, cut: int) -> bool:
    """Whether a stop followed by a capital ends a sentence (not an abbreviation, not in a quote)."""
    period = match.end(1) - 1
    if period - start <= 3 and text[start:period].isdigit():
        return False  # a list number: "1. Close the school."
    if text[period] == "." and text[period - 1:period] != ".":
        word = _word_before(text, start, period)
        if _keeps_capital(text, start, period, word, match.end()):
            return False
    return not _inside_quote(text, start, cut)


def _inside_quote(text: str, start: int, position: int) -> bool:
    """Whether position lies inside a quotation opened since start (looking back a bounded window)."""
    start = max(start, position - QUOTE_WINDOW)
    return (text.count("«", start, position) > text.count("»", start, position)
            or text.count("“", start, position) > text.count("”", start, position)
            or text.count('"', start, position) % 2 == 1)


# --- repairs: glued sentences and headings --------------------------------------

def _split_glued(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Split a span where a sentence or a heading is glued onto the next sentence."""
    cuts = [cut for cut in (_after_closing_quotes(text, start, m.end())
                            for m in _STOP_GLUE.finditer(text, start, end) if _is_glued_stop(text, start, m))
            if not text[cut].isspace() and not _inside_quote(text, start, cut)]
    bounds = [start, *cuts, end]
    for piece_start, piece_end in zip(bounds, bounds[1:]):
        if _is_glued_between(text, piece_start, piece_end) and is_question_heading(text[piece_start:piece_end]):
            yield piece_start, piece_end, "heading"  # "...plaidé.Ferrer, le renouveau ?Formé"
            continue
        heading_end = _glued_heading_end(text, piece_start, piece_end)
        if heading_end:
            yield piece_start, heading_end, "heading"
            piece_start = heading_end
        yield piece_start, piece_end, "body"


def _is_glued_between(text: str, start: int, end: int) -> bool:
    """Whether the span touches text on both sides with no space in between."""
    return 0 < start and end < len(text) and not text[start - 1].isspace() and not text[end].isspace()


def is_question_heading(piece: str) -> bool:
    """A short question glued between two sentences is a section heading."""
    return piece.endswith("?") and len(piece.split()) <= 12 and looks_like_heading(piece[:-1])


def _after_closing_quotes(text: str, start: int, position: int) -> int:
    """Position past the closing quote marks and brackets that follow a full stop."""
    while position < len(text) and (text[position] in ")]" or (
            text[position] in QUOTES and _is_closing_quote(text, start, position))):
        position += 1
    return position


def _is_glued_stop(text: str, start: int, match: re.Match) -> bool:
    """A full stop with a capital right after it ends a sentence unless it ends an abbreviation."""
    word = _word_before(text, start, match.start())
    return not (match.group().startswith(".") and word in TITLES)


def _glued_heading_end(text: str, start: int, end: int) -> int:
    """End of a heading glued onto the sentence that follows it, or 0."""
    # A heading is short: only the first MAX_HEADING_CHARS can hold one.
    for candidate in _glue_points(text, start, min(end, start + MAX_HEADING_CHARS + 1)):
        heading = text[start:candidate]
        if looks_like_heading(heading) and len(text[candidate:end].split()) >= 3:
            return candidate
    return 0


def _glue_points(text: str, start: int, end: int) -> list[int]:
    """Positions where a capital follows a word or a closing quote with no space."""
    points = [m.end() for m in _CAMEL_GLUE.finditer(text, start, end)
              if _is_camel_glue(text, start, m.end())]
    points += [m.end() for m in _QUOTE_GLUE.finditer(text, start, end)
               if _is_closing_quote(text, start, m.start())]
    points += [m.end() for m in _OPENING_GLUE.finditer(text, start, end)
               if not _is_closing_quote(text, start, m.end())]
    return sorted(points)


def _is_camel_glue(text: str, start: int, point: int) -> bool:
    """Whether "wordWord" at point joins two words rather than spelling one name."""
    left_word = _word_before(text, max(start, point - 40), point)
    right_word = _FIRST_WORD.match(text, point)
    if not right_word or len(left_word) < 3:
        return False  # iPhone, eBay, McDonald, LeBron
    right_word = right_word.group()
    if right_word in STARTERS:
        return left_word[0].islower() or right_word not in WEAK_STARTERS
    # "sécuritéPoutine": a long lower-case word glued to a capitalised one.
    return (left_word[0].islower() and len(left_word) >= 4 and right_word[1:].islower()
            and left_word + right_word not in CAMEL_NAMES)


def _is_closing_quote(text: str, start: int, position: int) -> bool:
    """Whether the quote mark at position closes a quotation."""
    mark = text[position]
    if mark != '"':
        return mark in _CLOSING_QUOTES
    return text.count('"', max(start, position - QUOTE_WINDOW), position + 1) % 2 == 0
