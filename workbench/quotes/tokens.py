"""An article's tokens with offsets, its quotations (paired quote marks) and its sentences
as token ranges: what the rules and the span model both read.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.records import Sentence
from workbench.quotes.lexicon import OPEN_QUOTES
from workbench.quotes.records import TOKEN

MAX_QUOTE_CHARS = 3000  # an opening mark left unclosed never swallows the rest of the article


@dataclass(frozen=True)
class Token:
    """One token: its offsets into the article's text, its text and its lower-case form."""

    start: int
    end: int
    text: str
    low: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens (``records.TOKEN``: word runs or single punctuation marks) of a stretch of text."""
    return [Token(m.start(), m.end(), m.group(), m.group().lower())
            for m in TOKEN.finditer(text, start, len(text) if end is None else end)]


def quotations(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index pairs (opening mark, closing mark) of the article's quotations.

    « » and “ ” pair by nesting; straight double quotes alternate within a paragraph
    (a blank line or a line break starts afresh). An opening mark not closed within
    ``MAX_QUOTE_CHARS`` is dropped.
    """
    pairs = []
    open_at: int | None = None
    closing = ""
    for i, token in enumerate(tokens):
        if open_at is not None and "\n" in text[tokens[i - 1].end:token.start] and closing == '"':
            open_at = None  # a straight quote never crosses a line
        if open_at is not None and token.text == closing:
            if token.start - tokens[open_at].start <= MAX_QUOTE_CHARS:
                pairs.append((open_at, i))
            open_at = None
        elif open_at is None and token.text in OPEN_QUOTES:
            open_at, closing = i, OPEN_QUOTES[token.text]
    return pairs


def sentence_ranges(tokens: list[Token], sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Each sentence's tokens as a half-open index range (in the sentences' order)."""
    ranges = []
    i = 0
    for sentence in sentences:
        while i < len(tokens) and tokens[i].end <= sentence.start:
            i += 1
        j = i
        while j < len(tokens) and tokens[j].start < sentence.end:
            j += 1
        ranges.append((i, j))
        i = j
    return ranges
