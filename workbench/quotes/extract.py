"""Articles in, attributions out: the cold-start rules or a trained span model, then the
speakers, the direct flag and the sentences each attribution covers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

from workbench.core.records import Article, Sentence
from workbench.quotes.names import Speakers
from workbench.quotes.records import Attribution, Span, sentence_ids_for
from workbench.quotes.rules import Found, continuation, find_in_sentence
from workbench.quotes.tokens import paragraph_ranges, quotations, sentence_ranges, tokenize
from workbench.text.segment import segment_article


class Reading:
    """One article read for attributions: its sentences, tokens, paragraphs and quotations."""

    def __init__(self, article: Article, sentences: list[Sentence] | None = None):
        self.article = article
        self.sentences = segment_article(article) if sentences is None else sentences
        self.tokens = tokenize(article.text)
        self.quotes = quotations(article.text, self.tokens)
        self.ranges = sentence_ranges(self.tokens, self.sentences)
        self.paragraphs = paragraph_ranges(article.text, self.tokens)
        self.paragraph_starts = [lo for lo, _ in self.paragraphs]

    def rule_findings(self) -> list[Found]:
        """What the cold-start rules find, sentence by sentence."""
        taken: set[int] = set()
        found: list[Found] = []
        previous: list[Found] = []
        for n, (lo, hi) in enumerate(self.ranges):
            following = self.ranges[n + 1] if n + 1 < len(self.ranges) else None
            here = find_in_sentence(self.tokens, lo, hi, self.quotes, taken, following)
            if not here and previous and n > 0 and self._same_paragraph(self.ranges[n - 1][0], lo):
                continuation(self.tokens, previous[-1], self.ranges[n - 1], (lo, hi),
                             self.quotes, taken)
            found.extend(here)
            previous = here
        return found

    def _same_paragraph(self, a: int, b: int) -> bool:
        """Whether tokens a and b lie in one paragraph (paragraphs are in order: a bisection,
        not a scan, so long articles stay linear)."""
        k = bisect_right(self.paragraph_starts, a) - 1
        return k >= 0 and self.paragraphs[k][0] <= a and b < self.paragraphs[k][1]

    def attributions(self, found: Iterable[Found]) -> list[Attribution]:
        """Token ranges made into attributions with speakers, direct flags and sentence ids."""
        found = list(found)
        if not found:
            return []
        speakers = Speakers(self.tokens, self.article.text)
        quoted = _quoted(self.quotes)
        made = []
        for f in found:
            content = [self._span(r) for r in f.content]
            source = self._span(f.source) if f.source else None
            attribution = Attribution(
                self.article.article_id, (source,) if source else None,
                tuple(self._span(r) for r in f.cue), tuple(content),
                speaker=speakers.resolve(source.start, source.end, tuple(
                    (s.start, s.end) for s in content)) if source else None,
                direct=any(k in quoted for a, b in f.content for k in range(a, b)))
            made.append(Attribution(**{**attribution.__dict__, "sentence_ids":
                                       sentence_ids_for(attribution, self.sentences)}))
        return sorted(made, key=lambda a: (a.cue[0].start, a.content[0].start))

    def _span(self, token_range: tuple[int, int]) -> Span:
        a, b = token_range
        return Span(self.tokens[a].start, self.tokens[b - 1].end)


def _quoted(quotes: list[tuple[int, int]]) -> set[int]:
    """Token indices of quotation marks and what they enclose."""
    return {k for a, b in quotes for k in range(a, b + 1)}


def model_reads(model, lang: str) -> bool:
    """Whether a span model may read an article in ``lang``: one trained without that
    language (an English model on a French article) leaves it to the rules. A model whose
    manifest records no languages, or an article of unknown language, keeps the model."""
    languages = (model.manifest.get("training") or {}).get("languages")
    return not (languages and lang and lang not in languages)


def extract(article: Article, model=None, sentences: list[Sentence] | None = None
            ) -> list[Attribution]:
    """The attributions of one article: by a trained span model when given and trained on
    the article's language (``model_reads``), else the rules."""
    reading = Reading(article, sentences)
    use_model = model is not None and model_reads(model, article.lang)
    found = model.find(reading) if use_model else reading.rule_findings()
    return reading.attributions(found)


def iter_attributions(articles: Iterable[Article], model=None
                      ) -> Iterator[tuple[Article, list[Attribution]]]:
    """Stream each article with its attributions (one article in memory at a time)."""
    for article in articles:
        yield article, extract(article, model)


def speakers_by_sentence(article: Article, model=None, *,
                         sentences: list[Sentence] | None = None,
                         attributions: list[Attribution] | None = None) -> dict[str, str]:
    """{sentence_id: speaker} for the article's sentences that an attribution with a resolved
    speaker covers (the first attribution met wins); ``sentences`` saves segmenting again."""
    if attributions is None:
        attributions = extract(article, model, sentences)
    found: dict[str, str] = {}
    for attribution in attributions:
        if attribution.speaker:
            for sentence_id in attribution.sentence_ids:
                found.setdefault(sentence_id, attribution.speaker)
    return found

