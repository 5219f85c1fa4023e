"""Attribution records (who said what: source, cue, content spans) and their JSON Lines form.

Offsets are Python string indices (code points, end exclusive) into ``Article.text`` as
``workbench.text.articles`` reads it. For a ``.txt`` file that text is the decoded file
verbatim: no newline translation (``\\r\\n`` stays two characters), no Unicode normalisation
(NFD accents, no-break spaces and tabs are kept), with one exception: a byte-order mark is
dropped, so a tool that counts the BOM as a character (brat reading a BOM-prefixed file)
has offsets one higher than ours. Files in a legacy code page count characters, not bytes.
For Markdown and HTML the text is what the reader extracted (front matter and markup gone):
offsets refer to that text, not to the file. Sentence offsets (``workbench.text.segment``)
index the same string, which is what ``sentence_ids_for`` relies on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from workbench.core.errors import InputError
from workbench.core.records import Sentence

ROLES = ("source", "cue", "content")

# A token: a maximal run of word characters, or one punctuation mark (never whitespace).
TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start`` to ``end`` (exclusive) of an article's text."""

    start: int
    end: int

    def __post_init__(self):
        # bool is an int subclass; an empty or reversed span is always a bug upstream
        if (not isinstance(self.start, int) or not isinstance(self.end, int)
                or isinstance(self.start, bool) or isinstance(self.end, bool)
                or not 0 <= self.start < self.end):
            raise ValueError(f"span {self.start!r}-{self.end!r}: need integers 0 <= start < end")

    def text(self, article_text: str) -> str:
        """The characters this span covers in the article's text."""
        return article_text[self.start:self.end]


Spans = tuple[Span, ...]


def _spans(value: Iterable[Span] | None) -> Spans | None:
    return None if value is None else tuple(sorted(value))


@dataclass(frozen=True)
class Attribution:
    """One attribution: an optional source, a cue and a content, each one or more spans."""

    article_id: str
    source: Spans | None
    cue: Spans
    content: Spans
    speaker: str | None = None  # who the source refers to ("he" -> "Donald Trump"), when resolved
    direct: bool | None = None  # a direct (quoted) or reported speech, when known
    sentence_ids: tuple[str, ...] = field(default=())  # the sentences its spans touch

    def __post_init__(self):
        # sorted spans make two equal annotations equal records, whatever order they came in
        object.__setattr__(self, "source", _spans(self.source))
        object.__setattr__(self, "cue", _spans(self.cue))
        object.__setattr__(self, "content", _spans(self.content))
        object.__setattr__(self, "sentence_ids", tuple(self.sentence_ids))

    def spans(self, role: str) -> Spans:
        """The spans of one role (``source``, ``cue`` or ``content``); none for a missing source."""
        return getattr(self, role) or ()

    def to_dict(self, article_text: str) -> dict:
        """The JSON Lines record: spans as ``{start, end, text}`` with text from the article."""
        def listed(spans: Spans | None):
            if spans is None:
                return None
            return [{"start": s.start, "end": s.end, "text": s.text(article_text)} for s in spans]

        return {"article_id": self.article_id, "source": listed(self.source),
                "cue": listed(self.cue), "content": listed(self.content),
                "speaker": self.speaker, "direct": self.direct,
                "sentence_ids": list(self.sentence_ids)}

    @classmethod
    def from_dict(cls, record: dict, article_text: str | None = None,
                  where: str = "attribution") -> "Attribution":
        """Read a JSON Lines record back; with the article's text, each span's text is checked."""
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, found {type(record).__name__}; "
                             "write one attribution object per line")
        missing = [k for k in ("article_id", "source", "cue", "content") if k not in record]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}; an attribution needs "
                             "article_id, source (or null), cue and content")
        article_id = record["article_id"]
        if not isinstance(article_id, str) or not article_id:
            raise InputError(f"{where}: article_id must be a non-empty string")
        speaker, direct = record.get("speaker"), record.get("direct")
        if speaker is not None and not isinstance(speaker, str):
            raise InputError(f"{where}: speaker must be a string or null, found {speaker!r}")
        if direct is not None and not isinstance(direct, bool):
            raise InputError(f"{where}: direct must be true, false or null, found {direct!r}")
        ids = record.get("sentence_ids") or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InputError(f"{where}: sentence_ids must be a list of strings")
        roles = {}
        for role in ROLES:
            value = record[role]
            if value is None and role == "source":
                roles[role] = None
                continue
            roles[role] = _read_spans(value, role, article_text, where)
        return cls(article_id, roles["source"], roles["cue"], roles["content"],
                   speaker, direct, tuple(ids))


def _read_spans(value, role: str, article_text: str | None, where: str) -> Spans:
    """Spans of one role from ``[{start, end, text}, ...]``, checked against the text when given."""
    if not isinstance(value, list) or not value:
        allowed = "a list of spans or null" if role == "source" else "a non-empty list of spans"
        raise InputError(f"{where}: {role} must be {allowed}, found {value!r}")
    spans = []
    for item in value:
        if not isinstance(item, dict) or "start" not in item or "end" not in item:
            raise InputError(f"{where}: each {role} span is {{\"start\", \"end\", \"text\"}}, "
                             f"found {item!r}")
        try:
            span = Span(item["start"], item["end"])
        except ValueError as exc:
            raise InputError(f"{where}: {role} {exc}") from None
        if article_text is not None:
            if span.end > len(article_text):
                raise InputError(f"{where}: {role} span {span.start}-{span.end} ends after the "
                                 f"article ({len(article_text)} characters); wrong article?")
            if "text" in item and item["text"] != span.text(article_text):
                raise InputError(f"{where}: {role} span {span.start}-{span.end} reads "
                                 f"{span.text(article_text)!r} in the article, not {item['text']!r}: "
                                 "the offsets were computed on another text (encoding, BOM, edits?)")
        spans.append(span)
    return tuple(spans)


def merge_spans(spans: Iterable[Span]) -> Spans:
    """Spans sorted, with overlapping or touching ones joined: one form for the same characters."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return tuple(merged)


def iter_tokens(article_text: str, spans: Iterable[Span]) -> Iterator[tuple[int, int]]:
    """Offsets of the tokens inside spans; a token cut by a span's edge is cut there too."""
    for span in spans:
        for match in TOKEN.finditer(article_text, span.start, span.end):
            yield match.start(), match.end()


def sentence_ids_for(attribution: Attribution, sentences: Iterable[Sentence]) -> tuple[str, ...]:
    """Ids of the article's sentences that any span of the attribution overlaps, in order."""
    spans = [s for role in ROLES for s in attribution.spans(role)]
    return tuple(sentence.sentence_id for sentence in sentences
                 if sentence.article_id == attribution.article_id
                 and any(s.start < sentence.end and sentence.start < s.end for s in spans))
