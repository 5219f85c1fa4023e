"""The span model's learned cue lexicon: what it learns from gold tags, the features it
gives, and a model whose manifest carries a broken lexicon refused with one line."""

from __future__ import annotations

import json

import pytest

from workbench.core.errors import ModelError
from workbench.core.records import Article
from workbench.quotes.extract import Reading
from workbench.quotes.features import LexiconFeatures, learn_lexicon, paragraph_features

# Our own sentences: "told reporters" is a two-word cue three times out of three, "said" a
# cue twice out of three, "reporters" once a cue out of four.
TEXT = ("Ann Lee told reporters that the bridge was safe.\n"
        "Bo Tan told reporters that the road was closed.\n"
        "Cy Ray told reporters that the park would open.\n"
        "The reporters said nothing, and Di Fox said the vote was lost.\n"
        "Ed Moe said that taxes would rise.\n")


def tagged() -> tuple[Reading, list[str]]:
    """The text read, with its cues tagged as the comment above says."""
    reading = Reading(Article(article_id="t", text=TEXT))
    lows = [t.low for t in reading.tokens]
    tags = ["O"] * len(lows)
    for k in [k for k, w in enumerate(lows) if w == "said"][1:]:
        tags[k] = "B-V"
    for k in [k for k, w in enumerate(lows) if w == "told"]:
        tags[k], tags[k + 1] = "B-V", "I-V"
    return reading, tags


def test_lexicon_learns_word_and_phrase_shares():
    lexicon = learn_lexicon([tagged()])
    assert lexicon["phrases"] == {"told reporters": 1.0}
    assert lexicon["words"]["told"] == 1.0
    assert lexicon["words"]["said"] == pytest.approx(2 / 3, abs=1e-3)
    assert lexicon["words"]["reporters"] == pytest.approx(3 / 4, abs=1e-3)
    assert "the" not in lexicon["words"]  # never inside a cue
    assert "ann" not in lexicon["words"]  # seen once: too rare to say anything
    json.dumps(lexicon)  # it goes into the manifest as it is


def test_phrase_and_share_features():
    reading, tags = tagged()
    learned = LexiconFeatures(learn_lexicon([(reading, tags)]))
    rules = ["O"] * len(reading.tokens)
    first = paragraph_features(reading, rules, learned)[0]
    words = [t.low for t in reading.tokens[:len(first)]]
    told, reporters, that = (first[words.index(w)] for w in ("told", "reporters", "that"))
    assert "ph=B4" in told and "ph=E4" in reporters
    assert not any(f.startswith("ph=") for f in that)
    assert "cp=4" in told and "cp=0" in that
    assert "lr=1" in first[words.index("lee")] and "ll=1" in that


def test_empty_lexicon_adds_nothing():
    reading, _tags = tagged()
    rules = ["O"] * len(reading.tokens)
    plain = paragraph_features(reading, rules, LexiconFeatures(None))
    assert not any(f.startswith(("cp=", "ph=", "ll=")) for items in plain for f in items[0])


def test_broken_lexicon_in_manifest_is_refused(workdir):
    from test_quotes_model import write_training
    from workbench.quotes.model import load_quote_model, manifest_path, train_quote_model

    gold = write_training(workdir)
    train_quote_model(gold, workdir / "q.crf", articles=[str(workdir / "*.txt")], iterations=5)
    path = manifest_path(workdir / "q.crf")
    manifest = json.loads(path.read_text())
    assert set(manifest["lexicon"]) == {"words", "stems", "phrases"}
    manifest["lexicon"] = {"words": ["said"]}
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="lexicon"):
        load_quote_model(workdir / "q.crf")


def test_word_classes_give_tags_and_lemmas():
    from workbench.quotes.wordclass import WordClasses

    reading, _tags = tagged()
    rules = ["O"] * len(reading.tokens)
    first = paragraph_features(reading, rules, LexiconFeatures(None), WordClasses())[0]
    words = [t.low for t in reading.tokens[:len(first)]]
    told, that = first[words.index("told")], first[words.index("that")]
    assert "pt=VBD" in told and "lm=tell" in told and "pt1=NNS" in told
    assert "pt-1=VBD" not in told and "pt-2=VBD" in first[words.index("that")]
    assert "lm-1=reporters" not in that and "lm-1=reporter" in that
    plain = paragraph_features(reading, rules, LexiconFeatures(None))[0]
    assert not any(f.startswith(("pt=", "lm=")) for f in plain[words.index("told")])


def test_model_records_its_word_class_lexicons_and_refuses_others(workdir):
    from test_quotes_model import write_training
    from workbench.quotes.model import load_quote_model, manifest_path, train_quote_model
    from workbench.quotes.wordclass import recorded

    gold = write_training(workdir)
    train_quote_model(gold, workdir / "q.crf", articles=[str(workdir / "*.txt")], iterations=5)
    path = manifest_path(workdir / "q.crf")
    manifest = json.loads(path.read_text())
    assert manifest["word_classes"] == recorded()
    assert load_quote_model(workdir / "q.crf").classes is not None
    manifest["word_classes"] = {name: "0" * 64 for name in recorded()}
    path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="word-class lexicons"):
        load_quote_model(workdir / "q.crf")
