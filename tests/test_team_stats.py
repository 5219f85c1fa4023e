"""Team agreement statistics: checked by hand and against scikit-learn, statsmodels, krippendorff."""

from __future__ import annotations

import json
import random
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats import inter_rater

from workbench.core.labels import FACT, LABELS, NOT_A_CLAIM, OPINION, QUOTE
from workbench.team.agreement import (agreement, cohen_kappa, fleiss_kappa, krippendorff_alpha,
                                      percent_agreement)
from workbench.team.report import write_team_report
from workbench.team.stats import TeamTally, team_report


def ann(who, label, seconds=None, ground_truth=False):
    return {"annotator": who, "label": label, "seconds": seconds, "ground_truth": ground_truth}


def unit(sid, *annotations, text=None):
    return {"sentence_id": sid, "text": text or f"sentence {sid}", "annotations": list(annotations)}


# Three annotators, four sentences, two labels (F fact, O opinion):
#   s1: a F, b F, c F      s2: a F, b F, c O      s3: a O, b O, c O      s4: a F, b O, c O
HAND = [unit("s1", ann("a", FACT, 10), ann("b", FACT, 20), ann("c", FACT)),
        unit("s2", ann("a", FACT, 30), ann("b", FACT, 40), ann("c", OPINION)),
        unit("s3", ann("a", OPINION, 50), ann("b", OPINION), ann("c", OPINION)),
        unit("s4", ann("a", FACT, 20), ann("b", OPINION), ann("c", OPINION))]


def test_alpha_and_kappas_match_a_hand_computation():
    # Counts per sentence (F, O): (3,0) (2,1) (0,3) (1,2); n = 12 values, n_F = n_O = 6.
    # Alpha: coincidences o_FO = o_OF = 2*1/2 (s2) + 1*2/2 (s4) = 2, so D_o = 4/12 = 1/3;
    #   D_e = 2 * 6 * 6 / (12 * 11) = 6/11; alpha = 1 - (1/3) / (6/11) = 1 - 11/18 = 7/18.
    # Fleiss: P_s = (sum n^2 - 3) / 6 = 1, 1/3, 1, 1/3, mean 2/3; p_F = p_O = 1/2, P_e = 1/2;
    #   kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3.
    # Pairs agreeing: 3 + 1 + 3 + 1 of 12 = 2/3.
    # Cohen a-b: (F,F) (F,F) (O,O) (F,O): p_o = 3/4; a has F 3, O 1, b has F 2, O 2:
    #   p_e = (3*2 + 1*2) / 16 = 1/2, kappa = (3/4 - 1/2) / (1/2) = 1/2.
    # Cohen a-c: (F,F) (F,O) (O,O) (F,O): p_o = 1/2; c has F 1, O 3: p_e = (3 + 3)/16 = 3/8,
    #   kappa = (1/2 - 3/8) / (5/8) = 1/5.   b-c: p_o = 3/4, p_e = (2 + 6)/16 = 1/2, kappa = 1/2.
    report = team_report(HAND, bootstrap=200)
    assert report["n_sentences"] == 4
    assert report["alpha"] == pytest.approx(7 / 18, abs=1e-12)
    assert report["fleiss_kappa"] == pytest.approx(1 / 3, abs=1e-12)
    assert report["percent_agreement"] == pytest.approx(2 / 3, abs=1e-12)
    pairs = report["pairwise"]
    assert pairs["a"]["b"] == pairs["b"]["a"] == {"kappa": pytest.approx(0.5), "n": 4}
    assert pairs["a"]["c"]["kappa"] == pytest.approx(0.2)
    assert pairs["b"]["c"]["kappa"] == pytest.approx(0.5)
    # annotator a agrees with 2 of 2 others on s1 and s3, 1 of 2 on s2, 0 of 2 on s4: 5/8
    assert report["annotators"]["a"]["agreement"] == pytest.approx(5 / 8)
    assert report["annotators"]["a"]["median_seconds"] == pytest.approx(25.0)
    assert report["annotators"]["c"]["median_seconds"] is None
    assert report["annotators"]["a"]["labels"] == {FACT: 3, OPINION: 1, QUOTE: 0, NOT_A_CLAIM: 0}
    # ordered pairs of labels on one sentence: F-F 6 + 2, O-O 6 + 2, F-O 2 + 2 (and O-F)
    confusion = report["confusion"]
    assert confusion[FACT][FACT] == 8 and confusion[OPINION][OPINION] == 8
    assert confusion[FACT][OPINION] == confusion[OPINION][FACT] == 4
    assert report["per_label"][FACT]["n"] == 6 and report["per_label"][QUOTE]["n"] == 0
    # with two labels in use, one-vs-rest of either is the overall figure
    assert report["per_label"][FACT]["alpha"] == pytest.approx(7 / 18)
    assert report["per_label"][OPINION]["fleiss_kappa"] == pytest.approx(1 / 3)
    assert report["per_label"][QUOTE]["alpha"] is None  # nobody used it: nothing varies


count_rows = st.integers(2, 5).flatmap(lambda k: st.lists(
    st.lists(st.integers(0, 4), min_size=k, max_size=k), min_size=2, max_size=40))


@settings(max_examples=200, deadline=None)
@given(count_rows)
def test_alpha_equals_the_krippendorff_package(rows):
    counts = np.array(rows, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
        except ValueError:  # the package refuses a single value in the domain
            expected = float("nan")
    ours = krippendorff_alpha(counts)
    assert (np.isnan(ours) and np.isnan(expected)) or ours == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 5), st.integers(2, 6), st.integers(1, 40), st.randoms(use_true_random=False))
def test_fleiss_kappa_equals_statsmodels(n_labels, raters, n_units, rnd):
    counts = np.zeros((n_units, n_labels))
    for row in counts:
        for _ in range(raters):
            row[rnd.randrange(n_labels)] += 1
    ours = fleiss_kappa(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = inter_rater.fleiss_kappa(counts, method="fleiss")
    if np.isnan(expected) or not np.isfinite(expected):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


def test_fleiss_kappa_with_unequal_annotators_matches_a_hand_computation():
    # (2,0): P = 1; (1,2): P = (1 + 4 - 3) / 6 = 1/3. mean 2/3; p = (3/5, 2/5), P_e = 13/25;
    # kappa = (2/3 - 13/25) / (12/25) = (50/75 - 39/75) / (36/75) = 11/36
    assert fleiss_kappa([[2, 0], [1, 2]]) == pytest.approx(11 / 36, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS[:3]), st.sampled_from(LABELS)), min_size=0,
                max_size=30))
def test_cohen_kappa_equals_scikit_learn(pairs):
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = np.zeros((4, 4), dtype=np.int64)
    for a, b in pairs:
        confusion[index[a], index[b]] += 1
    ours = cohen_kappa(confusion)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs]) \
            if len(pairs) >= 2 else float("nan")
    assert (np.isnan(ours) and np.isnan(expected)) or ours == pytest.approx(expected, abs=1e-9)


def random_units(n, *, seed=1, people=6, per_sentence=3, agree=0.7):
    rnd = random.Random(seed)
    names = [f"p{i}@example.org" for i in range(people)]
    for i in range(n):
        truth = rnd.choice(LABELS)
        yield unit(f"s{i}", *(ann(who, truth if rnd.random() < agree else rnd.choice(LABELS),
                                  rnd.uniform(1, 60), rnd.random() < 0.05)
                              for who in rnd.sample(names, per_sentence)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(0, 10_000), st.integers(2, 4))
def test_the_report_equals_the_packages_on_random_teams(n, seed, per_sentence):
    units = list(random_units(n, seed=seed, people=5, per_sentence=per_sentence))
    report = team_report(iter(units), bootstrap=0)
    names = sorted({a["annotator"] for u in units for a in u["annotations"]})
    table = np.array([[sum(a["label"] == label for a in u["annotations"]) for label in LABELS]
                      for u in units], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = [[next((LABELS.index(a["label"]) for a in u["annotations"] if a["annotator"] == who),
                      np.nan) for u in units] for who in names]
        try:
            alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        except ValueError:
            alpha = float("nan")
        kappa = inter_rater.fleiss_kappa(table)
    for ours, theirs in ((report["alpha"], alpha), (report["fleiss_kappa"], kappa)):
        assert (ours is None and not np.isfinite(theirs)) or ours == pytest.approx(theirs, abs=1e-9)
    for a in names:
        for b in names:
            if a == b:
                continue
            shared = [(la, lb) for la, lb in zip(data[names.index(a)], data[names.index(b)])
                      if not (np.isnan(la) or np.isnan(lb))]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = cohen_kappa_score([x for x, _ in shared], [y for _, y in shared]) \
                    if len(shared) >= 2 else float("nan")
            cell = report["pairwise"][a][b]
            assert cell["n"] == len(shared)
            assert (cell["kappa"] is None and np.isnan(expected)) \
                or cell["kappa"] == pytest.approx(expected, abs=1e-9)


def test_nothing_to_compare_is_said_not_raised(tmp_path):
    for units in ([], [unit("s1", ann("a", FACT))], [unit("s1", ann("a", FACT), ann("a", OPINION))]):
        report = team_report(units)
        json.dumps(report)
        assert report["n_sentences"] == 0 and "nothing to compare" in report["note"]
        assert report["alpha"] is report["fleiss_kappa"] is report["percent_agreement"] is None
        assert report["alpha_ci"] is None
        write_team_report(report, tmp_path)
        assert "nothing to compare" in (tmp_path / "team_report.md").read_text()


def test_bootstrap_intervals_are_seeded_and_hold_the_estimate():
    units = list(random_units(400))
    first, again = team_report(units, seed=3), team_report(iter(units), seed=3)
    assert first["alpha_ci"] == again["alpha_ci"] and first["fleiss_kappa_ci"] == again["fleiss_kappa_ci"]
    assert first["alpha_ci"] != team_report(units, seed=4)["alpha_ci"]
    # the order sentences come in does not change a seeded interval
    assert team_report(units[::-1], seed=3)["alpha_ci"] == first["alpha_ci"]
    low, high = first["alpha_ci"]
    assert low < first["alpha"] < high and high - low < 0.2


def test_bootstrap_over_distinct_vectors_matches_resampling_sentences():
    units = list(random_units(600, seed=7))
    report = team_report(units, bootstrap=2000, seed=1)
    tally = TeamTally()
    for u in units:
        tally.add(u)
    counts, sentences, _ = tally.matrix()
    per_sentence = np.repeat(counts, sentences.astype(int), axis=0)
    rng = np.random.default_rng(123)
    naive = [krippendorff_alpha(per_sentence[rng.integers(0, len(per_sentence), len(per_sentence))])
             for _ in range(2000)]
    assert report["alpha_ci"] == pytest.approx(list(np.percentile(naive, [2.5, 97.5])), abs=0.01)


def test_annotators_agreement_adjudication_gold_and_lead_times():
    units = [unit("s1", ann("a", FACT, 3.0), ann("b", FACT, 5.0), ann("r", FACT, ground_truth=True)),
             unit("s2", ann("a", OPINION, 7.0), ann("b", FACT), ann("r", FACT, ground_truth=True)),
             unit("s3", ann("a", QUOTE, 1.0), ann("a", OPINION, 4.0), ann("b", OPINION),
                  text="The same text."),
             unit("s4", ann("b", NOT_A_CLAIM))]
    gold = {"s1": FACT, "s4": OPINION, "The same text.": OPINION}
    report = team_report(units, gold)
    a, b, r = (report["annotators"][k] for k in "abr")
    assert a["n"] == 3 and a["labels"][QUOTE] == 0  # a's latest answer on s3 replaces the first
    assert a["median_seconds"] == pytest.approx(4.0) and b["median_seconds"] == pytest.approx(5.0)
    assert a["adjudicated_agreement"] == pytest.approx(0.5) and a["n_adjudicated"] == 2
    assert r["adjudicated_agreement"] is None  # their own ground truth does not count
    assert a["gold_accuracy"] == 1.0 and a["n_gold"] == 2  # s1 by id, s3 by text
    assert b["gold_accuracy"] == pytest.approx(2 / 3) and b["n_gold"] == 3
    assert r["gold_accuracy"] == 1.0 and r["n_gold"] == 1
    assert team_report(units)["annotators"]["a"]["gold_accuracy"] is None
    # a: s1 agrees with b and r (2/2), s2 with neither (0/2), s3 with b (1/1): 3/5
    assert a["agreement"] == pytest.approx(3 / 5) and a["n_pairs"] == 5
    assert report["n_sentences"] == 3 and report["n_units"] == 4


def test_memory_stays_flat_distinct_vectors_only():
    small, large = TeamTally(), TeamTally()
    for u in random_units(2_000):
        small.add(u)
    for u in random_units(40_000, seed=2):
        large.add(u)
    # three annotators over four labels: at most C(6, 3) = 20 distinct count vectors
    assert len(small.vectors) <= 20 and len(large.vectors) <= 20
    assert sum(large.vectors.values()) == 40_000


def test_twenty_thousand_sentences_three_annotators_with_intervals():
    # speed is measured by `make bench`, not here: this checks the scale works and is seeded
    units = list(random_units(20_000, people=8))
    report = team_report(iter(units), bootstrap=1000)
    assert report["n_sentences"] == 20_000 and report["alpha_ci"] is not None
    assert team_report(iter(units), bootstrap=1000)["alpha_ci"] == report["alpha_ci"]


def test_the_pull_summary_still_agrees_with_the_kernels():
    records = [{"votes": {FACT: 2, OPINION: 1}, "n_annotations": 3},
               {"votes": {FACT: 3}, "n_annotations": 3}, {"votes": {OPINION: 1}, "n_annotations": 1}]
    stats = agreement(records)
    assert stats["units"] == 2 and stats["pairs"] == 6
    assert stats["percent_agreement"] == pytest.approx(percent_agreement([[2, 1], [3, 0]]))
    assert stats["krippendorff_alpha"] == pytest.approx(krippendorff_alpha([[2, 1], [3, 0]]))
    assert agreement([{"votes": {FACT: 2}, "n_annotations": 2}])["krippendorff_alpha"] == 1.0


def test_the_written_report_has_its_tables_and_readable_plots(tmp_path):
    report = team_report(random_units(300), gold={"s1": FACT}, bootstrap=100)
    paths = write_team_report(report, tmp_path / "out")
    assert [p.name for p in paths] == ["team_report.md", "confusion.png", "pairwise.png"]
    text = paths[0].read_text()
    for heading in ("Krippendorff's alpha", "Fleiss' kappa", "## Per label", "## Annotators",
                    "## Label distribution", "| p0@example.org |", "Verifiable fact"):
        assert heading in text
    assert f"**{report['alpha']:.3f}** [" in text
    for png in paths[1:]:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]
