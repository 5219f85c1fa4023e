"""Attribution scores: matching, per-role exact and token F1, speaker accuracy, on PolNeAR too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from workbench.core.errors import InputError
from workbench.quotes.evaluate import evaluate, match
from workbench.quotes.records import Attribution, Span

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"

TEXT = "Ann Lee said the bridge will close. Bob warned: It is unsafe. Rain fell."


def s(piece: str, text: str = TEXT) -> tuple[Span]:
    start = text.index(piece)
    return (Span(start, start + len(piece)),)


def quote(source, cue, content, speaker=None, text=TEXT, article="a") -> Attribution:
    return Attribution(article, source and s(source, text), s(cue, text), s(content, text),
                       speaker=speaker)


GOLD = [quote("Ann Lee", "said", "the bridge will close", "Ann Lee"),
        quote("Bob", "warned", "It is unsafe.", "Bob Smith")]
PREDICTED = [quote("Lee", "said", "the bridge will close.", "ann  LEE"),
             quote(None, "warned", "unsafe.", "Bob"),
             quote(None, "fell", "Rain")]  # a false alarm: shares no content or cue token


def _prf(scores: dict) -> tuple:
    return scores["p"], scores["r"], scores["f1"]


def test_hand_computed_scores():
    scores = evaluate(GOLD, PREDICTED, {"a": TEXT})
    # matching: P1-G1 (4 content tokens shared), P2-G2 (2: unsafe .); P3 overlaps nothing
    assert match(GOLD, PREDICTED, {"a": TEXT}) == [(0, 0), (1, 1)]
    assert scores["attributions"] == {"gold": 2, "predicted": 3, "matched": 2}
    # source exact: 1 predicted ("Lee"), 2 gold, 0 equal -> p 0/1, r 0/2, f1 0
    assert _prf(scores["source"]["exact"]) == (0.0, 0.0, 0.0)
    # cue exact: said and warned right of 3 predicted, 2 gold -> p 2/3, r 1, f1 2*2/(3+2) = 0.8
    assert _prf(scores["cue"]["exact"]) == pytest.approx((2 / 3, 1.0, 0.8))
    # content exact: none equal (an extra "." and a shorter "unsafe.") -> 0, 0, 0
    assert _prf(scores["content"]["exact"]) == (0.0, 0.0, 0.0)
    # source tokens: predicted [Lee] inside [Ann Lee] -> p 1/1; gold [Ann Lee] + [Bob] = 3
    # tokens, of which Lee is inside a predicted source -> r 1/3; f1 = 2(1)(1/3)/(4/3) = 0.5
    assert _prf(scores["source"]["token"]) == pytest.approx((1.0, 1 / 3, 0.5))
    # cue tokens: said, warned, fell predicted, 2 inside gold -> p 2/3; gold 2 of 2 -> r 1; f1 0.8
    assert _prf(scores["cue"]["token"]) == pytest.approx((2 / 3, 1.0, 0.8))
    # content tokens: predicted 5 (the bridge will close .) + 2 (unsafe .) + 1 (Rain) = 8, of
    # which 4 + 2 inside gold -> p 6/8; gold 4 + 4 (It is unsafe .), of which 4 + 2 inside
    # predictions -> r 6/8; f1 0.75
    assert _prf(scores["content"]["token"]) == pytest.approx((0.75, 0.75, 0.75))
    assert scores["content"]["token"]["predicted"] == 8 and scores["content"]["token"]["gold"] == 8
    # speaker: "ann  LEE" is Ann Lee (case and spacing aside), "Bob" is not "Bob Smith" -> 1/2
    assert scores["speaker"] == {"accuracy": 0.5, "right": 1, "total": 2}


def test_discontinuous_content_exact_only_when_the_pieces_are_the_same():
    text = '"The plan," he said, "is dead."'
    gold = [Attribution("d", s("he", text), s("said", text),
                        s("The plan,", text) + s("is dead.", text))]
    covering = [replace(gold[0], content=(Span(1, len(text) - 1),))]
    scores = evaluate(gold, covering, {"d": text})
    assert _prf(scores["content"]["exact"]) == (0.0, 0.0, 0.0)
    # gold tokens: The plan , is dead . = 6; the covering span adds " he said , " = 5 more:
    # p 6/11, r 6/6, f1 = 2(6/11)/(17/11) = 12/17
    assert _prf(scores["content"]["token"]) == pytest.approx((6 / 11, 1.0, 12 / 17))
    # the same characters cut into touching pieces are the same spans
    start = text.index("The")
    pieces = [replace(gold[0], content=(Span(start, start + 4), Span(start + 4, start + 9))
              + s("is dead.", text))]
    assert _prf(evaluate(gold, pieces, {"d": text})["content"]["exact"]) == (1.0, 1.0, 1.0)


def test_a_missing_source_is_neither_predicted_nor_scored():
    gold = [quote(None, "said", "the bridge will close")]
    scores = evaluate(gold, gold, {"a": TEXT})
    assert _prf(scores["source"]["exact"]) == (None, None, None)
    assert _prf(scores["cue"]["exact"]) == (1.0, 1.0, 1.0)
    # a source predicted where the gold has none is a false alarm: p 0/1, r undefined
    guessed = [quote("Ann Lee", "said", "the bridge will close")]
    assert _prf(evaluate(gold, guessed, {"a": TEXT})["source"]["exact"]) == (0.0, None, 0.0)


def test_no_prediction_no_gold_and_neither():
    text = {"a": TEXT}
    nothing_predicted = evaluate(GOLD, [], text)
    assert _prf(nothing_predicted["content"]["exact"]) == (None, 0.0, 0.0)
    assert _prf(nothing_predicted["content"]["token"]) == (None, 0.0, 0.0)
    assert nothing_predicted["speaker"] == {"accuracy": 0.0, "right": 0, "total": 2}
    nothing_to_find = evaluate([], PREDICTED, text)
    assert _prf(nothing_to_find["cue"]["exact"]) == (0.0, None, 0.0)
    assert nothing_to_find["speaker"]["accuracy"] is None
    assert _prf(evaluate([], [], {})["cue"]["token"]) == (None, None, None)


def test_matching_is_one_to_one_greedy_by_content_then_cue_and_within_an_article():
    # two identical predictions of one gold: one pairs, the other is a false alarm
    scores = evaluate(GOLD[:1], [PREDICTED[0], PREDICTED[0]], {"a": TEXT})
    assert scores["attributions"]["matched"] == 1
    assert _prf(scores["cue"]["exact"]) == pytest.approx((0.5, 1.0, 2 / 3))
    # a prediction whose content covers both gold contents: content overlap 4 tokens each
    wide = quote(None, "warned", "the bridge will close. Bob warned: It is unsafe.")
    # (the bridge will close / It is unsafe .), tied: the shared cue "warned" decides
    assert match(GOLD, [wide], {"a": TEXT}) == [(1, 0)]
    # content comes first: more content shared with G2 beats the cue shared with G1
    assert match(GOLD, [quote(None, "said", "It is unsafe.")], {"a": TEXT}) == [(1, 0)]
    # no shared content but the same cue still pairs (the cue is then scored as right)
    assert match(GOLD, [quote(None, "said", "Rain")], {"a": TEXT}) == [(0, 0)]
    # the same offsets in another article never pair
    elsewhere = [replace(p, article_id="b") for p in PREDICTED]
    assert match(GOLD, elsewhere, {"a": TEXT, "b": TEXT}) == []


def test_an_article_without_text_is_refused():
    with pytest.raises(InputError, match="no text for article 'a'"):
        evaluate(GOLD, [], {})


def _dev():
    from workbench.quotes.brat import iter_polnear

    gold, texts = [], {}
    for article, found in iter_polnear(POLNEAR / "dev"):
        texts[article.article_id] = article.text
        gold.extend(found)
    return gold, texts


@pytest.mark.skipif(not (POLNEAR / "dev").is_dir(), reason="PolNeAR is not in ../shared/data")
def test_polnear_dev_against_itself_and_without_sources():
    gold, texts = _dev()
    scores = evaluate(gold, gold, texts)
    assert scores["attributions"]["matched"] == len(gold) > 2000
    for role in ("source", "cue", "content"):
        for kind in ("exact", "token"):
            assert _prf(scores[role][kind]) == (1.0, 1.0, 1.0), (role, kind)
    assert scores["speaker"]["total"] == 0  # PolNeAR resolves no speaker
    no_sources = evaluate(gold, [replace(a, source=None) for a in gold], texts)
    assert no_sources["source"]["exact"]["r"] == no_sources["source"]["token"]["r"] == 0.0
    assert no_sources["source"]["exact"]["f1"] == 0.0
    for role in ("cue", "content"):
        for kind in ("exact", "token"):
            assert _prf(no_sources[role][kind]) == (1.0, 1.0, 1.0), (role, kind)
