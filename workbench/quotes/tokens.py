"""An article's tokens with offsets, its quotations (paired quote marks) and its sentences
as token ranges: what the rules and the span model both read.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.records import Sentence
from workbench.quotes.lexicon import OPEN_QUOTES, CLOSE_QUOTES
from workbench.quotes.records import TOKEN

MAX_QUOTE_CHARS = 3000  # an opening mark left unclosed never swallows the rest of the article
QUOTE_MARKS = frozenset(OPEN_QUOTES) | CLOSE_QUOTES


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

    A mark's side is read from its surroundings, not its shape (scraped news mixes “ ”, " "
    and stray “ used as closing marks): a mark after a space, a bracket, a dash or a full
    stop (glued sentences) and before a word opens; any other mark closes. An opening mark pairs with the
    next closing mark of the paragraph; a quotation never crosses a blank line, nor runs
    longer than ``MAX_QUOTE_CHARS``.
    """
    pairs = []
    open_at: int | None = None
    for i, token in enumerate(tokens):
        if token.text not in QUOTE_MARKS:
            continue
        if open_at is not None and ("\n\n" in text[tokens[open_at].end:token.start]
                                    or token.start - tokens[open_at].start > MAX_QUOTE_CHARS):
            open_at = None
        before = text[token.start - 1] if token.start else " "
        after = text[token.end] if token.end < len(text) else " "
        opens = token.text in "«„" or (token.text != "»" and (before.isspace() or before in "([—–-.!?:;")
                                         and not after.isspace())
        if open_at is None:
            if opens:
                open_at = i
        elif not opens or token.text == "»":
            pairs.append((open_at, i))
            open_at = None
        else:  # an opening mark while one is open: the first was never closed
            open_at = i
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


def paragraph_ranges(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The article's lines (paragraphs) as half-open token index ranges."""
    ranges = []
    start = 0
    for i in range(1, len(tokens)):
        if "\n" in text[tokens[i - 1].end:tokens[i].start]:
            ranges.append((start, i))
            start = i
    if tokens:
        ranges.append((start, len(tokens)))
    return ranges


def byline_ranges(text: str) -> list[tuple[int, int]]:
    """The character ranges of byline lines ("Par Hélène Marquet | Le Quotidien | 02/03"):
    their author is no one the article quotes."""
    ranges, start = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) < 150 and (stripped.startswith(("Par ", "By ")) or " | " in stripped):
            ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges
