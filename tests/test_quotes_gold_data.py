"""The quote-attribution gold in tests/data/quotes is well formed and up to date.

Every span reads its own text in its article, stays inside what a span may cover (source
and cue inside one sentence; content too, unless it opens or closes a quotation), cuts
no word, and belongs to one attribution only (one role per token, as in PolNeAR); every
speaker is a name the article contains; every article has attributions; the JSON Lines are
what ``build_gold.py`` makes of the annotated sources.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from workbench.core.records import normalise_text
from workbench.quotes.records import ROLES, TOKEN, Attribution, sentence_ids_for
from workbench.text.articles import read_file
from workbench.text.segment import segment_article

from conftest import DATA, SEED_TXT

QUOTES = DATA / "quotes"
# folder -> the fewest articles it must hold
LANGS = {"fr": 30, "en": 10, "fr_dev": 20, "fr_dev2": 30, "fr_dev3": 30, "fr_dev4": 30,
         "fr_dev5": 30, "fr_dev6": 30, "fr_dev7": 30}
QUOTE_MARKS = "«»\"“”„"
OPENING, CLOSING = "«\"“„", "»\"”"
SENTENCE_BREAK = re.compile(r"[.!?…]\s+[«\"“]?\s*[A-ZÀ-Ý]")


def _build_module():
    spec = importlib.util.spec_from_file_location("quotes_build_gold", QUOTES / "build_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _articles(folder: Path) -> dict:
    return {p.stem: next(read_file(p)) for p in sorted(folder.glob("*.txt"))}


def _sets() -> list[tuple[str, list[dict], dict]]:
    """(name, records, articles by id) for every gold set present."""
    sets = [(lang, _gold(QUOTES / lang / "gold.jsonl"), _articles(QUOTES / lang))
            for lang in LANGS if (QUOTES / lang / "gold.jsonl").exists()]
    if SEED_TXT.exists():
        seed = next(read_file(SEED_TXT))
        sets.append(("seed", _gold(QUOTES / "seed.jsonl"), {seed.article_id: seed}))
    return sets


SETS = _sets()
IDS = [name for name, _records, _articles in SETS]


def test_the_gold_sets_are_there():
    assert (QUOTES / "seed.jsonl").exists()
    for lang, fewest in LANGS.items():
        assert len(list((QUOTES / lang).glob("*.txt"))) >= fewest, lang


@pytest.mark.parametrize("name,records,articles", SETS, ids=IDS)
def test_every_span_reads_its_text_and_every_article_has_attributions(name, records, articles):
    seen = set()
    for n, record in enumerate(records, 1):
        article = articles.get(record["article_id"])
        assert article is not None, f"{name}:{n}: no article {record['article_id']!r}"
        Attribution.from_dict(record, article.text, f"{name}:{n}")  # checks every span's text
        for role in ROLES:
            for span in record[role] or []:
                assert span["text"] == article.text[span["start"]:span["end"]], (name, n, role)
                assert span["text"] == span["text"].strip(), (name, n, role, span["text"])
        seen.add(record["article_id"])
    assert seen == set(articles), f"{name}: articles without attributions: {set(articles) - seen}"


def _cuts_a_word(text: str, start: int, end: int) -> bool:
    inner_start, inner_end = text[start].isalnum(), text[end - 1].isalnum()
    before = start > 0 and text[start - 1].isalnum()
    after = end < len(text) and text[end].isalnum()
    return (inner_start and before) or (inner_end and after)


@pytest.mark.parametrize("name,records,articles", SETS, ids=IDS)
def test_spans_respect_words_and_sentences(name, records, articles):
    sentences = {aid: segment_article(a) for aid, a in articles.items()}
    for n, record in enumerate(records, 1):
        text, cut = articles[record["article_id"]].text, sentences[record["article_id"]]
        for role in ROLES:
            for span in record[role] or []:
                start, end = span["start"], span["end"]
                assert not _cuts_a_word(text, start, end), (name, n, role, span["text"])
                touched = [s for s in cut if s.start < end and start < s.end]
                if len(touched) > 1:
                    quoted = span["text"][0] in OPENING or span["text"][-1] in CLOSING
                    assert role == "content" and quoted, (
                        f"{name}:{n}: {role} span {span['text'][:40]!r} crosses a sentence "
                        "boundary; only (a part of) a quotation in quote marks may")
        attribution = Attribution.from_dict(record, text)
        ids = sentence_ids_for(attribution, cut)
        assert list(ids) == record["sentence_ids"], (name, n)
        indexes = [s.index for s in cut if s.sentence_id in ids]
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes))), (
            f"{name}:{n}: the attribution's sentences are not consecutive: {indexes}")


@pytest.mark.parametrize("name,records,articles", SETS, ids=IDS)
def test_each_token_has_one_role_in_one_attribution(name, records, articles):
    owners: dict[tuple[str, int], tuple[int, str]] = {}
    for n, record in enumerate(records, 1):
        text = articles[record["article_id"]].text
        for role in ROLES:
            for span in record[role] or []:
                for match in TOKEN.finditer(text, span["start"], span["end"]):
                    key = (record["article_id"], match.start())
                    assert key not in owners, (
                        f"{name}:{n}: {role} token {match[0]!r} at {match.start()} is already "
                        f"{owners[key][1]} of record {owners[key][0]}")
                    owners[key] = (n, role)


@pytest.mark.parametrize("name,records,articles", SETS, ids=IDS)
def test_speakers_are_names_in_the_article_and_direct_means_quote_marks(name, records, articles):
    for n, record in enumerate(records, 1):
        text = normalise_text(articles[record["article_id"]].text).casefold()
        speaker = record["speaker"]
        if speaker is not None:
            assert speaker == speaker.strip() and speaker[0].isupper(), (name, n, speaker)
            assert normalise_text(speaker).casefold() in text, (
                f"{name}:{n}: speaker {speaker!r} is not written in the article")
        content = "".join(span["text"] for span in record["content"])
        assert record["direct"] == any(mark in content for mark in QUOTE_MARKS), (
            f"{name}:{n}: direct is {record['direct']} but the content "
            f"{'has' if not record['direct'] else 'has no'} quote marks")


@pytest.mark.parametrize("lang", [lang for lang in LANGS if (QUOTES / lang / "src").exists()])
def test_our_gold_covers_every_construction(lang):
    records = _gold(QUOTES / lang / "gold.jsonl")
    assert any(r["source"] is None for r in records), "an attribution without a source"
    assert any(r["source"] and r["speaker"] is None for r in records), "an anonymous source"
    assert any(len(r["content"]) > 1 for r in records), "a content in several spans"
    assert any(len(r["cue"]) > 1 or r["source"] and r["content"][0]["start"] < r["cue"][0]["start"]
               < r["source"][0]["start"] for r in records), "a source after its cue (incise)"
    assert any(r["direct"] for r in records) and any(not r["direct"] for r in records)
    assert any(SENTENCE_BREAK.search(" ".join(c["text"] for c in r["content"]))
               for r in records if r["direct"]), "a quotation of several sentences"
    assert any(len(r["sentence_ids"]) > 1 for r in records), "an attribution over two sentences"
    pronouns = {"fr": {"il", "elle", "ils", "elles"}, "en": {"he", "she", "they"}}[lang[:2]]
    assert any(r["source"] and r["source"][0]["text"].casefold() in pronouns and r["speaker"]
               for r in records), "a pronoun source resolved to a name"
    according = {"fr": {"selon", "d'après", "d’après"}, "en": {"according to"}}[lang[:2]]
    assert any(r["cue"][0]["text"].casefold() in according for r in records)


def test_the_gold_is_what_the_sources_build(tmp_path):
    build = _build_module()
    for lang in LANGS:
        if not (QUOTES / lang / "src").exists():
            continue
        out = tmp_path / lang
        out.mkdir()
        build.build_language(QUOTES / lang, out)
        built = sorted(p.name for p in out.iterdir())
        assert built == sorted(p.name for p in (QUOTES / lang).glob("*.*")), lang
        for path in out.iterdir():
            assert path.read_bytes() == (QUOTES / lang / path.name).read_bytes(), path.name
    if SEED_TXT.exists():
        build.build_seed(SEED_TXT, tmp_path)
        assert (tmp_path / "seed.jsonl").read_bytes() == (QUOTES / "seed.jsonl").read_bytes()


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang.startswith("fr")
                                  and (QUOTES / f"{lang}_speakers_second.jsonl").exists()])
def test_the_second_annotation_of_french_speakers_covers_the_gold_sources(lang):
    second = _gold(QUOTES / f"{lang}_speakers_second.jsonl")
    gold = {(r["article_id"], r["source"][0]["start"], r["source"][0]["end"])
            for r in _gold(QUOTES / lang / "gold.jsonl") if r["source"]}
    keys = [(r["article_id"], r["source"]["start"], r["source"]["end"]) for r in second]
    assert sorted(keys) == sorted(gold)  # one speaker per gold source, no other
    articles = _articles(QUOTES / lang)
    for r in second:
        if r["speaker"] is not None:
            assert r["speaker"] in articles[r["article_id"]].text, r
