"""Segmentation against gold data: our French and English gold, and the seed article exactly.

Boundary F1, as measured here: a *boundary* is the end offset of a sentence
(a Python string index into the article text, the sentence text stripped of
surrounding whitespace), for every sentence of an article except its last,
whose end is the end of the text and so proves nothing. Predicted and gold
boundaries are compared as sets of (article, offset); precision, recall and F1
are pooled (micro-averaged) over all the articles of one language.
"""

import json
from pathlib import Path

import pytest

from workbench.text.articles import iter_articles
from workbench.text.segment import segment_article

GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
MIN_F1 = 0.98
MIN_ROLE_ACCURACY = 0.95


def gold_pairs(directory: Path) -> list[tuple[Path, Path]]:
    """(article .txt, .gold.jsonl) pairs present in a directory."""
    pairs = []
    for gold in sorted(directory.glob("*.gold.jsonl")):
        text = gold.with_name(gold.name[: -len(".gold.jsonl")] + ".txt")
        if text.exists():
            pairs.append((text, gold))
    return pairs


def load(text_path: Path, gold_path: Path):
    """The article as the workbench reads it, and its gold sentences."""
    [article] = list(iter_articles([text_path], strict=True))
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return article, gold


def boundaries(spans) -> set[int]:
    """End offsets of all sentences but the last, after stripping whitespace."""
    ends = []
    for start, end, text in spans:
        stripped = text.rstrip()
        ends.append(end - (len(text) - len(stripped)))
    return set(ends[:-1])


def score(pairs):
    """Pooled boundary precision/recall/F1, role accuracy on matched sentences, and the misses."""
    tp = fp = fn = roles_ok = roles_total = 0
    misses = []
    for text_path, gold_path in pairs:
        article, gold = load(text_path, gold_path)
        predicted = segment_article(article)
        gold_b = boundaries((g["start"], g["end"], g["text"]) for g in gold)
        pred_b = boundaries((s.start, s.end, s.text) for s in predicted)
        tp += len(gold_b & pred_b)
        fp += len(pred_b - gold_b)
        fn += len(gold_b - pred_b)
        misses += [f"{text_path.name}: missed boundary at {o}" for o in sorted(gold_b - pred_b)]
        misses += [f"{text_path.name}: extra boundary at {o}" for o in sorted(pred_b - gold_b)]
        gold_roles = {(g["start"], g["end"]): g["role"] for g in gold}
        for s in predicted:
            if (s.start, s.end) in gold_roles:
                roles_total += 1
                if gold_roles[(s.start, s.end)] == s.role:
                    roles_ok += 1
                else:
                    misses.append(f"{text_path.name}: {s.text[:40]!r} is {s.role}, gold "
                                  f"{gold_roles[(s.start, s.end)]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, roles_ok / roles_total if roles_total else 1.0, misses


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_boundary_f1_and_roles_on_our_gold(lang):
    pairs = gold_pairs(GOLD_DIR / lang)
    if not pairs:
        pytest.skip(f"no gold data in {GOLD_DIR / lang}")
    f1, role_accuracy, misses = score(pairs)
    detail = "\n".join(misses[:40])
    assert f1 >= MIN_F1, f"{lang} boundary F1 {f1:.4f} < {MIN_F1}\n{detail}"
    assert role_accuracy >= MIN_ROLE_ACCURACY, f"{lang} role accuracy {role_accuracy:.4f}\n{detail}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gold_articles_detected_language(lang):
    pairs = gold_pairs(GOLD_DIR / lang)
    if not pairs:
        pytest.skip(f"no gold data in {GOLD_DIR / lang}")
    assert {load(t, g)[0].lang for t, g in pairs} == {lang}


def test_seed_article_exactly_as_gold():
    text_path = SEED_DIR / "sputnik-fr-2021-12-16.txt"
    gold_path = SEED_DIR / "sputnik-fr-2021-12-16.gold.jsonl"
    if not (text_path.exists() and gold_path.exists()):
        pytest.skip("shared seed not available")
    article, gold = load(text_path, gold_path)
    predicted = segment_article(article)
    assert len(predicted) == len(gold) == 18
    assert [(s.index, s.start, s.end, s.text, s.role) for s in predicted] == [
        (g["index"], g["start"], g["end"], g["text"], g["role"]) for g in gold]


def test_boundaries_definition():
    spans = [(0, 4, "Un. "), (4, 8, "Deux"), (9, 13, "Fin.")]
    assert boundaries(spans) == {3, 8}
