"""Article and Sentence records, and the hashes that give them their identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

ROLES = ("title", "lead", "byline", "heading", "body")

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC with runs of whitespace collapsed: the form identity is computed on."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _digest(*parts: str, size: int = 16) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:size]


def sentence_key(article_id: str, index: int, text: str) -> str:
    """Stable sentence identity: normalised text + article id + position."""
    return _digest("s1", article_id, str(index), normalise_text(text))


def article_key(text: str) -> str:
    """Content hash used as the article id when the source names none."""
    return _digest("a1", normalise_text(text), size=12)


@dataclass(frozen=True)
class Article:
    """One news article as read from its source, text kept exactly as decoded."""

    article_id: str
    text: str
    title: str = ""
    lang: str = ""
    source: str = ""  # file path or URL it was read from
    url: str = ""
    published: str = ""
    author: str = ""
    publisher: str = ""
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its offsets into the article's text."""

    article_id: str
    sentence_id: str
    index: int
    text: str
    start: int
    end: int
    role: str = "body"
    lang: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def make(cls, article_id: str, index: int, text: str, start: int, end: int,
             role: str = "body", lang: str = "") -> "Sentence":
        """Build a sentence, computing its id in the one place ids are computed."""
        return cls(article_id, sentence_key(article_id, index, text), index, text,
                   start, end, role, lang)


def model_record(record: dict) -> dict:
    """The fields of a sentence record or task data that the classifier reads."""
    # article_id lets the model's own calibration folds keep an article on one side
    return {"text": record.get("text") or "", "role": record.get("role") or "body",
            "lang": record.get("lang") or "", "article_id": record.get("article_id") or ""}
