"""The trained span model: a linear-chain CRF (CRFsuite, through python-crfsuite) over the
tags of ``tagging``, its training, and its model file.

The model file is CRFsuite's own binary model (no pickle: loading runs no code), with a
manifest beside it (``MODEL.manifest.json``, the claim models' format) whose ``kind`` is
``quotes``: the claim commands refuse it, and ``load_quote_model`` refuses a claim model.
The manifest also carries the cue lexicon learned from the training data (``features``):
plain JSON, checked when the model is loaded; and the hashes of the English word-class
lexicons its features read (``wordclass``), checked against the installed ones.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.core.errors import InputError, ModelError
from workbench.core.files import atomic_write, write_bytes
from workbench.core.records import Article
from workbench.core.version import VERSION
from workbench.quotes.records import Attribution
from workbench.quotes.features import LexiconFeatures, learn_lexicon, paragraph_features
from workbench.quotes.tagging import LABELS, decode, gold_tags, rule_tags

MANIFEST_FORMAT = "workbench-model/1"
KIND = "quotes"
# chosen by 3-fold cross-validation on PolNeAR train (folds by article): c1 2.0 over 1.0 and 4.0
PARAMS = {"c1": 2.0, "c2": 0.01, "feature.possible_transitions": True}
ITERATIONS = 200  # by the same cross-validation: 200 over 100, every role's F1 higher


def _features(reading, lexicon: LexiconFeatures, classes):
    """Every paragraph's features, the rules' tags and the learned cue lexicon among them,
    and the word classes for an English article (``classes``: None for a model without)."""
    if reading.article.lang != "en":
        classes = None
    return paragraph_features(reading, rule_tags(reading, reading.rule_findings()), lexicon,
                              classes)


class QuoteModel:
    """A trained CRF ready to tag articles, and its manifest."""

    def __init__(self, tagger, manifest: dict, blob: bytes, classes=None):
        # CRFsuite reads the model from ``blob`` in place: it must live as long as the tagger
        self.tagger, self.manifest, self._blob = tagger, manifest, blob
        self.lexicon = LexiconFeatures(manifest.get("lexicon"))
        self.classes = classes

    @property
    def model_version(self) -> str:
        return self.manifest.get("model_version", "")

    def find(self, reading):
        """The attributions of one article (``extract.Reading``) as token ranges."""
        tags = ["O"] * len(reading.tokens)
        for (lo, hi), items in zip(reading.paragraphs,
                                   _features(reading, self.lexicon, self.classes)):
            if hi > lo:
                tags[lo:hi] = self.tagger.tag(items)
        return decode(reading.paragraphs, tags, reading.ranges)


def training_pairs(data: Path | str, articles: Iterable[str] = ()
                   ) -> Iterator[tuple[Article, list[Attribution]]]:
    """Articles with their gold attributions: a PolNeAR split folder, or JSON Lines
    attributions (``pull --task quotes``) with the articles they come from."""
    data = Path(data)
    if data.is_dir():
        from workbench.quotes.brat import iter_polnear

        for article, attributions in iter_polnear(data):
            yield article, list(attributions)
        return
    from workbench.quotes.files import read_attributions
    from workbench.text.articles import iter_articles

    gold: dict[str, list[Attribution]] = {}
    for attribution in read_attributions(data):
        gold.setdefault(attribution.article_id, []).append(attribution)
    if not articles:
        raise InputError(f"{data}: attributions without their articles; give the articles "
                         "with --articles (files, folders or globs)")
    seen = set()
    for article in iter_articles(articles, strict=True):
        if article.article_id in gold:
            seen.add(article.article_id)
            yield article, gold[article.article_id]
    missing = sorted(set(gold) - seen)
    if missing:
        raise InputError(f"{data}: no article {missing[0]!r} among --articles "
                         f"({len(missing)} missing); give the articles the attributions refer to")


def train_quote_model(data: Path | str, output: Path | str, *, articles: Iterable[str] = (),
                      iterations: int = ITERATIONS) -> QuoteModel:
    """Train the CRF on gold attributions and write the model file and its manifest."""
    import pycrfsuite

    from workbench.quotes.extract import Reading
    from workbench.quotes.wordclass import WordClasses, recorded

    trainer = pycrfsuite.Trainer(verbose=False)
    digest = hashlib.sha256()
    n_articles = n_attributions = n_sentences = 0
    languages = set()  # the articles' languages: extraction uses the rules for any other
    tagged = []
    for article, attributions in training_pairs(data, articles):
        reading = Reading(article)
        tagged.append((reading, gold_tags(reading, attributions)))
        n_sentences += len(reading.sentences)
        languages.add(article.lang)
        digest.update(article.text.encode("utf-8"))
        digest.update(repr(sorted(attributions, key=repr)).encode("utf-8"))
        n_articles += 1
        n_attributions += len(attributions)
    if not n_attributions:
        raise InputError(f"{data}: no attributions to learn from; annotate some first")
    lexicon = learn_lexicon(tagged)
    learned = LexiconFeatures(lexicon)
    classes = WordClasses()
    for reading, tags in tagged:
        for (lo, hi), items in zip(reading.paragraphs, _features(reading, learned, classes)):
            if hi > lo:
                trainer.append(items, tags[lo:hi])
    del tagged
    trainer.set_params({**PARAMS, "max_iterations": iterations})
    output = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        trained = Path(tmp, "model.crfsuite")
        trainer.train(str(trained))
        blob = trained.read_bytes()
    write_bytes(output, blob)
    data_hash = digest.hexdigest()
    manifest = {"format": MANIFEST_FORMAT, "kind": KIND, "labels": list(LABELS),
                "model_version": f"quotes-crf-{data_hash[:10]}",
                "sha256": hashlib.sha256(blob).hexdigest(),
                "training": {"data": Path(data).name, "data_hash": data_hash,
                             "articles": n_articles, "attributions": n_attributions,
                             "sentences": n_sentences, "iterations": iterations,
                             "languages": sorted(languages - {""}),
                             "params": {k: v for k, v in PARAMS.items()}},
                "versions": {"workbench": VERSION, "python-crfsuite": _version()},
                "lexicon": lexicon, "word_classes": recorded()}
    with atomic_write(manifest_path(output)) as out:
        out.write(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return load_quote_model(output)


def _version() -> str:
    from importlib.metadata import version

    return version("python-crfsuite")


def manifest_path(path: Path) -> Path:
    """MODEL.manifest.json beside the model, as for the claim models."""
    return Path(path).with_name(Path(path).name + ".manifest.json")


def load_quote_model(path: Path | str) -> QuoteModel:
    """A quote model, its manifest and hash checked first; a claim model is refused."""
    import pycrfsuite

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file; train one with `workbench train-quotes`")
    try:
        manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no manifest ({manifest_path(path).name}) beside it; retrain "
                         "with `workbench train-quotes`") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{manifest_path(path)}: unreadable manifest ({exc}); retrain the "
                         "model") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ModelError(f"{manifest_path(path)}: not a workbench model manifest; retrain it")
    kind = manifest.get("kind", "claims")
    if kind != KIND:
        raise ModelError(f"{path}: a {kind} model, not a quote model; give a model made by "
                         "`workbench train-quotes`")
    blob = path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != manifest.get("sha256"):
        raise ModelError(f"{path}: sha256 does not match its manifest; the file was changed or "
                         "corrupted: retrain it with `workbench train-quotes`")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open_inmemory(blob)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: not a CRFsuite model ({exc}); retrain it") from None
    classes = None
    if "word_classes" in manifest:
        from workbench.quotes.wordclass import check

        classes = check(str(path), manifest["word_classes"])
    try:
        return QuoteModel(tagger, manifest, blob, classes)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise ModelError(f"{manifest_path(path)}: its cue lexicon is not the one training "
                         "writes; retrain the model with `workbench train-quotes`") from None
