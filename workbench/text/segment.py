"""Split articles into sentences with structural roles and offsets into the original text.

The work is done on blocks (lines, or hard-wrapped paragraphs): each block gets
a role from its place and shape (title, lead, byline, heading, body), body
blocks go through sentencex, and a repair pass then fixes what scraped news
does to it: headings and sentences glued together without a space, and false
breaks after abbreviations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from workbench.core.records import Article, Sentence

# --- character classes ---------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞŒŸ"
_LOWER = "a-zß-öø-ÿœ"
_CLOSING_QUOTES = "”»’"
_QUOTES = "\"”»’“«"
_TERMINAL = ".!?…"

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

_MONTHS = (r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
           r"|January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_DATE = (r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}"
         r"|\d{1,2}(?:er)?\s+" + _MONTHS + r"\s+\d{4}|" + _MONTHS + r"\s+\d{1,2},?\s+\d{4})")
_DATE_RE = re.compile(_DATE, re.IGNORECASE)
_BYLINE_START = re.compile(
    r"(?:By|Par|Publié|Published|Updated|Posted|Mis à jour|Modifié|Written by|Éditorial|Editorial"
    r"|Tribune|Chronique|The Editorial Board|La rédaction)\b|" + _DATE, re.IGNORECASE)
# Signatures that close an opinion piece ("Le collectif X, représenté par ...").
_SIGNATURE = re.compile(r"(?:Le collectif|Les signataires|Signataires|Signé|The signatories|"
                        r"The authors? (?:is|are)|L[’']auteur est|Les auteurs sont)\b")
# "By Jane Doe", "Par Mme Léa Martin": a byline without a date still names someone.
_BY_NAME = re.compile(r"(?:By|Par|Written by)\s+(?:Dr\.?\s+|Mme\s+|M\.\s+)?"
                      r"[" + _UPPER + r"][" + _LOWER + r"]+\s+[" + _UPPER + r"]")
MAX_BYLINE_CHARS = 200
MAX_HEADING_CHARS = 150
# How far back quote marks are counted: no quotation is longer, and it keeps the
# repair pass linear on pathological input (a 5 MB line with an unclosed quote).
QUOTE_WINDOW = 2000

_LINE = re.compile(r"[^\r\n]*")
_AFTER_SENTENCE = re.compile(r"[.!?…»”\"][ \u00a0]+")
# Markdown heading, quote and bullet marks (numbers are kept: "1. Close the school.").
_MARKER = re.compile(r"\s{0,3}(?:(#{1,6})\s+|>\s?|[-*+•]\s+)")
_CAMEL_GLUE = re.compile(r"[" + _LOWER + r"](?=[" + _UPPER + r"](?:[" + _LOWER + r"'’]|\s))")
# A closing quote glued to a capital or to the next opening quote: «...»L', “...”“...
_QUOTE_GLUE = re.compile(r"[\"”»](?=(?:[«“\"][\s\u00a0]?)?[" + _UPPER + r"])")
# A word glued to the opening quote of the next sentence: perfusion« On, exemplaires"J'estime.
_OPENING_GLUE = re.compile(r"[" + _LOWER + r"](?=[«“\"][\s\u00a0]?[" + _UPPER + r"])")
# A stop glued to the next sentence: "pays.Le", "trial.)\"Lazy", "renouveau ?Formé".
_STOP_GLUE = re.compile(r"(?:(?<=[" + _LOWER + r"0-9%\"”»’)])[.!?]+|(?<=[" + _LOWER + r"][ \u00a0\u202f])[?!]+)"
                        r"(?=[)\]\"”»’]*(?:[\"“«][\s\u00a0]?)?[" + _UPPER + r"][" + _LOWER + r"'’\s])")
# A stop, its closing marks and the space after it, before a capital: a sentence end sentencex missed.
_MISSED_BREAK = re.compile(r"((?<![.\s])[.!?…]+)[)\]\"”»’]*[ \u00a0\u202f\t]+(?=[(\[\"“«‘]?[" + _UPPER + r"])")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_ALNUM = re.compile(r"[^\W_]")
_ACRONYM_END = re.compile(r"(?:\b[" + _UPPER + r"]\.){2,}$")
_GLUED_START = re.compile(r"(?:[\"“«(][\s\u00a0]?)?[" + _UPPER + r"][" + _LOWER + r"'’\s]")


@dataclass(frozen=True)
class _Block:
    """A run of text that no sentence crosses: a line, or a hard-wrapped paragraph."""

    start: int
    end: int
    markdown_heading: bool = False


def segment_article(article: Article) -> list[Sentence]:
    """The article's sentences, in order, with roles and offsets into ``article.text``."""
    text = article.text
    normal, to_original = normalise(text)
    spans = [(*trimmed, role) for start, end, role in _iter_spans(normal, article)
             if (trimmed := _trim(normal, start, end)) and _has_word(normal, *trimmed)]
    sentences = []
    for index, (start, end, role) in enumerate(spans):
        start, end = to_original(start), to_original(end)
        sentences.append(Sentence.make(article.article_id, index, text[start:end],
                                       start, end, role, article.lang))
    return sentences


def iter_sentences(articles: Iterable[Article]) -> Iterator[Sentence]:
    """Stream the sentences of every article."""
    for article in articles:
        yield from segment_article(article)


# --- Unicode ---------------------------------------------------------------------

def normalise(text: str):
    """NFC form of the text and a function mapping its offsets back to the original."""
    if unicodedata.is_normalized("NFC", text):
        return text, _identity
    pieces, origins = [], []
    for start, end in _clusters(text):
        composed = unicodedata.normalize("NFC", text[start:end])
        pieces.append(composed)
        origins.extend([start] * len(composed))
    origins.append(len(text))
    return "".join(pieces), origins.__getitem__


def _identity(offset: int) -> int:
    return offset


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """Spans of a base character and the combining marks that follow it."""
    start = 0
    for i in range(1, len(text)):
        if not unicodedata.combining(text[i]) and not 0x1160 <= ord(text[i]) <= 0x11FF:
            yield start, i
            start = i
    if text:
        yield start, len(text)


# --- blocks and roles ------------------------------------------------------------

def _iter_spans(text: str, article: Article) -> Iterator[tuple[int, int, str]]:
    """(start, end, role) of each sentence of the (normalised) text."""
    blocks = list(_blocks(text))
    title_index = _title_index(text, blocks, article)
    lead_index = _lead_index(text, blocks, title_index)
    for i, block in enumerate(blocks):
        start, end = block.start, block.end
        content = text[start:end]
        if i == title_index:
            yield start, end, "title"
        elif is_byline(content) or (i == len(blocks) - 1 and _SIGNATURE.match(content)):
            yield start, end, "byline"
        elif block.markdown_heading or (i != lead_index and _is_heading_block(content, i, blocks)):
            yield start, end, "heading"
        elif i == lead_index:
            yield from _lead_spans(text, start, end, article.lang)
        else:
            yield from _sentence_spans(text, start, end, article.lang, "body")


def _blocks(text: str) -> Iterator[_Block]:
    """Non-blank lines, joined when a paragraph is hard-wrapped, markdown marks skipped."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if text[m.start():m.end()].strip()]
    pending = None
    for start, end in lines:
        if pending and _continues(text, pending, start, end):
            pending = _Block(pending.start, end, pending.markdown_heading)
            continue
        if pending:
            yield pending
        pending = _open_block(text, start, end)
    if pending:
        yield pending


def _open_block(text: str, start: int, end: int) -> _Block:
    """A block for one line, past any leading markdown heading, list or quote mark."""
    marker = _MARKER.match(text, start, end)
    heading = bool(marker and marker.group(1))
    if marker and marker.end() < end:
        start = marker.end()
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return _Block(start, end, heading)


def _continues(text: str, block: _Block, start: int, end: int) -> bool:
    """Whether a line continues the block above it (hard wrap), rather than starting a new one."""
    between = text[block.end:start]
    if between.count("\n") + between.count("\r") - between.count("\r\n") != 1:
        return False  # a blank line always separates
    line = text[start:end].strip()
    last_line = text[text.rfind("\n", block.start, block.end) + 1:block.end]
    if _MARKER.match(line) or last_line.rstrip()[-1:] in _TERMINAL + ":":
        return False
    # A wrapped line is long and stops mid-sentence; the next starts in lower case
    # or the line above filled the width.
    return line[:1].islower() or 60 <= len(last_line.strip()) <= 100


def _title_index(text: str, blocks: list[_Block], article: Article) -> int:
    """Index of the title block, or -1 when the text does not start with one."""
    if not blocks:
        return -1
    first = text[blocks[0].start:blocks[0].end]
    if article.title:
        return 0 if _squash(first) == _squash(article.title) else -1
    # A title may end with an acronym's period ("l'U.E.") but not with a sentence's.
    title_like = _looks_like_heading(first) or (
        _ACRONYM_END.search(first) is not None and _looks_like_heading(first[:-1]))
    return 0 if len(blocks) > 1 and title_like else -1


def _lead_index(text: str, blocks: list[_Block], title_index: int) -> int:
    """Index of the standfirst: the block after the title when a byline ends or follows it."""
    i = title_index + 1
    if title_index < 0 or i >= len(blocks) - 1:
        return -1
    content = text[blocks[i].start:blocks[i].end]
    next_content = text[blocks[i + 1].start:blocks[i + 1].end]
    if is_byline(content):
        return -1
    if _trailing_byline_start(text, blocks[i].start, blocks[i].end) or content.endswith(("...", "…")):
        return i
    return i if is_byline(next_content) else -1


def _lead_spans(text: str, start: int, end: int, lang: str) -> Iterator[tuple[int, int, str]]:
    """Sentences of the standfirst, with a byline at its end split off."""
    byline_start = _trailing_byline_start(text, start, end)
    lead_end = byline_start or end
    while lead_end > start and text[lead_end - 1].isspace():
        lead_end -= 1
    yield from _sentence_spans(text, start, lead_end, lang, "lead")
    if byline_start:
        yield byline_start, end, "byline"


def _trailing_byline_start(text: str, start: int, end: int) -> int:
    """Where a byline on the same line as the end of a standfirst begins, or 0."""
    for match in _AFTER_SENTENCE.finditer(text, start, end):
        if is_byline(text[match.end():end]):
            return match.end()
    return 0


def is_byline(content: str) -> bool:
    """Whether a line is an author / date / source line rather than prose."""
    content = content.strip()
    if not content or len(content) > MAX_BYLINE_CHARS or content[-1] in "!?;:,":
        return False
    if content.endswith(".") and not re.search(r"\b(?:Jr|Sr|Inc|Ltd)\.$", content):
        return False
    start = _BYLINE_START.match(content)
    has_date = bool(_DATE_RE.search(content))
    if start:
        # Without a date, only "By Jane Doe" / "Par Jean Dupont": a name after the word.
        return has_date or (len(content.split()) <= 6 and bool(_BY_NAME.match(content)))
    return has_date and ("|" in content or bool(_DATE_RE.search(content[-25:]))) and len(content.split()) <= 10


def _is_heading_block(content: str, index: int, blocks: list[_Block]) -> bool:
    """A short unpunctuated line with text after it is a section heading."""
    return index < len(blocks) - 1 and (_looks_like_heading(content) or _is_question_heading(content))


def _looks_like_heading(content: str) -> bool:
    """Short, capitalised, and not ended like a sentence."""
    stripped = content.strip()
    words = stripped.split()
    if not words or len(words) > 20 or len(stripped) > MAX_HEADING_CHARS:
        return False
    last = stripped.rstrip(_QUOTES + " \u00a0")[-1:]
    first = stripped.lstrip(_QUOTES + "( \u00a0")[:1]
    return last not in _TERMINAL + ",;:" and (first.isupper() or first.isdigit())


def _squash(text: str) -> str:
    """Text compared loosely: NFC, single spaces, no surrounding marks."""
    return " ".join(unicodedata.normalize("NFC", text).split()).strip("# ").casefold()


# --- sentences within a block ----------------------------------------------------

def _sentence_spans(text: str, start: int, end: int, lang: str, role: str) -> Iterator[tuple[int, int, str]]:
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
        span = _trim(text, offset, offset + len(piece))
        offset += len(piece)
        if span:
            yield span


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _has_word(text: str, start: int, end: int) -> bool:
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
        if _is_glued_between(text, piece_start, piece_end) and _is_question_heading(text[piece_start:piece_end]):
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


def _is_question_heading(piece: str) -> bool:
    """A short question glued between two sentences is a section heading."""
    return piece.endswith("?") and len(piece.split()) <= 12 and _looks_like_heading(piece[:-1])


def _after_closing_quotes(text: str, start: int, position: int) -> int:
    """Position past the closing quote marks and brackets that follow a full stop."""
    while position < len(text) and (text[position] in ")]" or (
            text[position] in _QUOTES and _is_closing_quote(text, start, position))):
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
        if _looks_like_heading(heading) and len(text[candidate:end].split()) >= 3:
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
