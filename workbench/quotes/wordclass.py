"""English word classes for the span model: each word's most likely part-of-speech tag and
its lemma, read at run time from lexicons that installed PyPI packages ship.

- tags: the Brill tagger's lexicon (Penn Treebank tags, trained on the Brown corpus and the
  Penn Treebank) that TextBlob ships as ``textblob/en/en-lexicon.txt``;
- lemmas: LemmInflect's lemma table (``lemminflect/resources/lemma_lu.csv.gz``: word, its
  universal part of speech, its lemma).

The packages' files are located without importing them (no code of theirs runs) and read
once per process. A word neither lexicon knows gets no tag (``?``) and itself as lemma. A
model records the files' hashes in its manifest (``recorded``) and is refused when the
installed files differ (``check``): its features would no longer be the ones it learned.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from workbench.core.errors import ModelError, WorkbenchError

TAGS = ("textblob", "en", "en-lexicon.txt")
LEMMAS = ("lemminflect", "resources", "lemma_lu.csv.gz")


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise WorkbenchError(f"the {package} package is missing: reinstall workbench "
                             f"(`pip install -e .`), which installs it")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise WorkbenchError(f"{path}: missing from the installed {package}; reinstall it "
                             f"(`pip install --force-reinstall {package}`)")
    return path


@lru_cache(maxsize=1)
def brill_tags() -> dict[str, str]:
    """{word: its most likely Penn Treebank tag} (the word as written: "US" is not "us")."""
    tags = {}
    path = _package_file(*TAGS)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith(";;;"):
                word, _space, tag = line.rstrip("\n").partition(" ")
                if tag:
                    tags[word] = tag.split(" ")[0]
    return tags


@lru_cache(maxsize=1)
def lemmas() -> dict[str, str]:
    """{lower-case word: its lemma}; of several, the verb's, else the first listed."""
    table: dict[str, str] = {}
    path = _package_file(*LEMMAS)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            word, pos, lemma = line.rstrip("\n").split(",")[:3]
            lemma = lemma.split("/")[0]
            if word not in table or pos == "verb":
                table[word] = lemma
    return table


class WordClasses:
    """Tags and lemmas of a sequence of tokens."""

    def __init__(self):
        self.tags = brill_tags()
        self.lemmas = lemmas()

    def tag(self, text: str, low: str) -> str:
        """The token's most likely tag (``?`` when unknown)."""
        return self.tags.get(text) or self.tags.get(low) or "?"

    def lemma(self, low: str) -> str:
        """The token's lemma (the word itself when unknown)."""
        return self.lemmas.get(low, low)


def recorded() -> dict[str, str]:
    """{package file: its sha256}: what a model's manifest records of the lexicons."""
    return {"/".join(parts): hashlib.sha256(_package_file(*parts).read_bytes()).hexdigest()
            for parts in (TAGS, LEMMAS)}


def check(model: str, manifest_entry: object) -> WordClasses:
    """The word classes for a model whose manifest recorded ``manifest_entry``; refused
    with one line when the installed lexicons are not the ones it was trained with."""
    installed = recorded()
    if manifest_entry != installed:
        raise ModelError(f"{model}: trained with other word-class lexicons than the installed "
                         f"{' and '.join(sorted(installed))}; retrain it with "
                         "`workbench train-quotes`")
    return WordClasses()
