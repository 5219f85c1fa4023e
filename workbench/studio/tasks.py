"""Sentences to Label Studio tasks (one sentence per task, with its article context)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath

from workbench.core.records import Article, Sentence

NON_BODY_ROLES = frozenset({"title", "lead", "byline", "heading"})


def _context(sentences: Sequence[Sentence], i: int, width: int) -> tuple[str, str]:
    before = " ".join(s.text for s in sentences[max(0, i - width):i])
    after = " ".join(s.text for s in sentences[i + 1:i + 1 + width])
    return before, after


def _speakers(article: Article, sentences: Sequence[Sentence]) -> dict[str, str]:
    """{sentence_id: speaker} from the cold-start attribution rules (no model: fast)."""
    from workbench.quotes.extract import speakers_by_sentence
    return speakers_by_sentence(article, sentences=list(sentences))


def article_tasks(article: Article, sentences: Sequence[Sentence], *, context: int = 1,
                  skip_roles: Iterable[str] = ()) -> list[dict]:
    """The tasks of one article: each carries its sentence, the title and the neighbours."""
    skip = frozenset(skip_roles)
    title = article.title or next((s.text for s in sentences if s.role == "title"), "")
    speakers = _speakers(article, sentences)
    tasks = []
    for i, sentence in enumerate(sentences):
        if sentence.role in skip:
            continue
        before, after = _context(sentences, i, context)
        data = {
            "text": sentence.text,
            "sentence_id": sentence.sentence_id,
            "article_id": sentence.article_id,
            "title": title,
            "context_before": before,
            "context_after": after,
            "index": sentence.index,
            "start": sentence.start,
            "end": sentence.end,
            "role": sentence.role,
            "lang": sentence.lang,
            # who said it, when the sentence is part of an attribution whose speaker is known
            "speaker": speakers.get(sentence.sentence_id, ""),
        }
        if article.url:
            data["url"] = article.url
        if article.source:
            # Every member of the server can read task data: the file's name, never its path.
            data["source"] = PurePath(article.source).name
        tasks.append({"data": data})
    return tasks


def iter_article_tasks(articles: Iterable[Article], segmenter, *, context: int = 1,
               skip_roles: Iterable[str] = ()) -> Iterator[dict]:
    """Tasks for a stream of articles, segmented one article at a time."""
    skip = tuple(skip_roles)
    for article in articles:
        yield from article_tasks(article, segmenter(article), context=context, skip_roles=skip)
