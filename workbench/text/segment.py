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
from workbench.text.sentences import (
    LOWER,
    TERMINAL,
    UPPER,
    has_word,
    is_question_heading,
    looks_like_heading,
    sentence_spans,
    trim_span,
)

# --- character classes ---------------------------------------------------------

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
                      r"[" + UPPER + r"][" + LOWER + r"]+\s+[" + UPPER + r"]")
MAX_BYLINE_CHARS = 200
_LINE = re.compile(r"[^\r\n]*")
_AFTER_SENTENCE = re.compile(r"[.!?…»”\"][ \u00a0]+")
# Markdown heading, quote and bullet marks (numbers are kept: "1. Close the school.").
_MARKER = re.compile(r"\s{0,3}(?:(#{1,6})\s+|>\s?|[-*+•]\s+)")
_ACRONYM_END = re.compile(r"(?:\b[" + UPPER + r"]\.){2,}$")


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
             if (trimmed := trim_span(normal, start, end)) and has_word(normal, *trimmed)]
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
            yield from sentence_spans(text, start, end, article.lang, "body")


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
    if _MARKER.match(line) or last_line.rstrip()[-1:] in TERMINAL + ":":
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
    title_like = looks_like_heading(first) or (
        _ACRONYM_END.search(first) is not None and looks_like_heading(first[:-1]))
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
    yield from sentence_spans(text, start, lead_end, lang, "lead")
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
    return index < len(blocks) - 1 and (looks_like_heading(content) or is_question_heading(content))


def _squash(text: str) -> str:
    """Text compared loosely: NFC, single spaces, no surrounding marks."""
    return " ".join(unicodedata.normalize("NFC", text).split()).strip("# ").casefold()
