"""Agreement statistics of an annotation team: overall, per label, per pair, per annotator.

Input: an iterable of units, one per sentence::

    {"sentence_id": "s1", "text": "...", "annotations": [
        {"annotator": "ana@example.org", "label": "opinion", "seconds": 12.5,
         "ground_truth": False}, ...]}

Units are read once and dropped: what is kept is a count of each distinct label-count vector
(a sentence labelled opinion, opinion, fact is one such vector), per-pair confusion counts and
per-annotator tallies, so memory does not grow with the number of sentences. The bootstrap draws
how many times each distinct vector appears in a resample of the sentences (a multinomial
draw, the same distribution as drawing sentences with replacement), so 1,000 resamples of any
number of sentences take a few matrix products.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations

import numpy as np

from workbench.core.labels import LABELS
from workbench.team.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, percent_agreement

__all__ = ["iter_units", "team_report", "TeamTally"]


class _Annotator:
    """What is kept of one annotator: counts, and lead times as a histogram of centiseconds."""

    __slots__ = ("n", "labels", "pairs", "agreeing", "n_adjudicated", "adjudicated_agreeing",
                 "n_gold", "gold_correct", "centiseconds")

    def __init__(self) -> None:
        self.n = self.pairs = self.agreeing = 0
        self.n_adjudicated = self.adjudicated_agreeing = self.n_gold = self.gold_correct = 0
        self.labels: Counter = Counter()
        self.centiseconds: Counter = Counter()

    def median_seconds(self) -> float | None:
        """The median lead time, to the hundredth of a second (the histogram's resolution)."""
        total = sum(self.centiseconds.values())
        if not total:
            return None
        ranks = ((total - 1) // 2, total // 2)
        found, seen = [], 0
        for value in sorted(self.centiseconds):
            seen += self.centiseconds[value]
            while len(found) < 2 and ranks[len(found)] < seen:
                found.append(value)
            if len(found) == 2:
                break
        return round((found[0] + found[1]) / 200.0, 3)


def _latest(annotations: Iterable[dict]) -> dict[str, dict]:
    """Each annotator's last usable annotation of a unit (one who labelled twice counts once)."""
    latest: dict[str, dict] = {}
    for ann in annotations or ():
        if isinstance(ann, Mapping) and isinstance(ann.get("label"), str) and ann["label"]:
            latest[str(ann.get("annotator") or "(unknown)")] = ann
    return latest


def _gold_label(gold: Mapping | None, unit: Mapping) -> str | None:
    """The gold label of a unit: by its sentence_id, else by its text."""
    if not gold:
        return None
    sid, text = unit.get("sentence_id"), unit.get("text")
    if sid is not None and sid in gold:
        return gold[sid]
    return gold.get(text) if text is not None else None


class TeamTally:
    """Running counts over units: add units one at a time, then `report()`."""

    def __init__(self, gold: Mapping | None = None) -> None:
        self.gold = gold or {}
        self.vectors: Counter = Counter()   # sorted ((label, count), ...) -> sentences
        self.label_totals: Counter = Counter()
        self.pair_confusion: dict[tuple[str, str], Counter] = {}
        self.people: dict[str, _Annotator] = {}
        self.n_units = self.n_single = self.n_gold_units = 0

    def add(self, unit: Mapping) -> None:
        """Count one unit (a sentence and its annotations)."""
        latest = _latest(unit.get("annotations", ()))
        if not latest:
            return
        self.n_units += 1
        votes = Counter(ann["label"] for ann in latest.values())
        self.label_totals.update(votes)
        m = len(latest)
        if m >= 2:
            self.vectors[tuple(sorted(votes.items()))] += 1
        else:
            self.n_single += 1
        gold = _gold_label(self.gold, unit)
        self.n_gold_units += gold is not None
        truths = {name: ann["label"] for name, ann in latest.items() if ann.get("ground_truth")}
        for name, ann in latest.items():
            person = self.people.get(name) or self.people.setdefault(name, _Annotator())
            label = ann["label"]
            person.n += 1
            person.labels[label] += 1
            person.pairs += m - 1
            person.agreeing += votes[label] - 1
            seconds = ann.get("seconds")
            if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) \
                    and math.isfinite(seconds) and seconds >= 0:
                person.centiseconds[round(seconds * 100)] += 1
            others = {truth for who, truth in truths.items() if who != name}
            if len(others) == 1:  # adjudicated by someone else, and not contradicted
                person.n_adjudicated += 1
                person.adjudicated_agreeing += label in others
            if gold is not None:
                person.n_gold += 1
                person.gold_correct += label == gold
        for a, b in combinations(sorted(latest), 2):
            pair = self.pair_confusion.get((a, b)) or self.pair_confusion.setdefault((a, b), Counter())
            pair[(latest[a]["label"], latest[b]["label"])] += 1

    def labels(self) -> list[str]:
        """The label keys in a fixed order: the vocabulary's, then any other label seen."""
        return list(LABELS) + sorted(set(self.label_totals) - set(LABELS))

    def matrix(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(distinct count vectors x labels, how many sentences have each, the labels)."""
        labels = self.labels()
        index = {label: i for i, label in enumerate(labels)}
        keys = sorted(self.vectors)  # sorted: the seeded bootstrap does not depend on input order
        counts = np.zeros((len(keys), len(labels)))
        for row, key in enumerate(keys):
            for label, n in key:
                counts[row, index[label]] = n
        return counts, np.array([self.vectors[k] for k in keys], dtype=float), labels

    def report(self, *, bootstrap: int = 1000, seed: int = 0) -> dict:
        """The team report (see `team_report`)."""
        return _report(self, bootstrap=bootstrap, seed=seed)


def iter_units(units: Iterable[Mapping]) -> Iterable[Mapping]:
    """Units as given; a list of annotations alone is taken as a unit without id or text."""
    for unit in units:
        yield {"annotations": unit} if isinstance(unit, list) else unit


def team_report(units: Iterable[Mapping], gold: Mapping | None = None, *,
                bootstrap: int = 1000, seed: int = 0) -> dict:
    """Agreement statistics of a team over annotated sentences, as a JSON-serialisable dict.

    `units` is an iterable (read once) of {"sentence_id", "text", "annotations": [{"annotator",
    "label", "seconds", "ground_truth"}]}; `gold` maps sentence_id (or text) to a label.
    Statistics over sentences with two or more annotators (`n_sentences`): Krippendorff's alpha
    (nominal), Fleiss' kappa, each with a seeded percentile bootstrap 95% interval over
    sentences, and `percent_agreement` (agreeing pairs of annotations); `per_label` one-vs-rest;
    `pairwise` Cohen's kappa per pair of annotators; `confusion` between annotators' labels;
    `annotators`, where `agreement` is pairwise: the share of (their label, another annotator's
    label on the same sentence) pairs that agree. Undefined figures are None (null); with no
    sentence labelled twice, `n_sentences` is 0 and `note` says so.
    """
    tally = TeamTally(gold)
    for unit in iter_units(units):
        tally.add(unit)
    return tally.report(bootstrap=bootstrap, seed=seed)


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _interval(samples: np.ndarray) -> list[float] | None:
    samples = samples[~np.isnan(samples)]
    if not samples.size:
        return None
    low, high = np.percentile(samples, [2.5, 97.5])
    return [float(low), float(high)]


def _resamples(sentences: np.ndarray, bootstrap: int, seed: int) -> np.ndarray | None:
    """How many times each distinct vector appears in each of `bootstrap` resamples."""
    total = int(sentences.sum())
    if bootstrap <= 0 or not total:
        return None
    rng = np.random.default_rng(seed)
    return rng.multinomial(total, sentences / total, size=bootstrap).astype(float)


def _coefficients(counts: np.ndarray, sentences: np.ndarray, draws: np.ndarray | None) -> dict:
    out = {"alpha": _number(krippendorff_alpha(counts, sentences)),
           "fleiss_kappa": _number(fleiss_kappa(counts, sentences)),
           "alpha_ci": None, "fleiss_kappa_ci": None}
    if draws is not None:
        out["alpha_ci"] = _interval(krippendorff_alpha(counts, draws))
        out["fleiss_kappa_ci"] = _interval(fleiss_kappa(counts, draws))
    return out


def _pairwise(tally: TeamTally, labels: list[str]) -> dict:
    index = {label: i for i, label in enumerate(labels)}
    names = sorted(tally.people)
    matrix: dict = {a: {} for a in names}
    for a, b in combinations(names, 2):
        confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
        for (la, lb), n in tally.pair_confusion.get((a, b), {}).items():
            confusion[index[la], index[lb]] += n
        cell = {"kappa": _number(cohen_kappa(confusion)), "n": int(confusion.sum())}
        matrix[a][b] = cell
        matrix[b][a] = dict(cell)
    return matrix


def _confusion(counts: np.ndarray, sentences: np.ndarray, labels: list[str]) -> dict:
    # every ordered pair of two annotators' labels on one sentence: n_c n_k, less self-pairs
    pairs = np.einsum("u,uc,uk->ck", sentences, counts, counts) - np.diag(sentences @ counts)
    return {a: {b: int(round(pairs[i, j])) for j, b in enumerate(labels)}
            for i, a in enumerate(labels)}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _annotators(tally: TeamTally, labels: list[str]) -> dict:
    return {name: {"n": p.n,
                   "agreement": _share(p.agreeing, p.pairs), "n_pairs": p.pairs,
                   "adjudicated_agreement": _share(p.adjudicated_agreeing, p.n_adjudicated),
                   "n_adjudicated": p.n_adjudicated,
                   "gold_accuracy": _share(p.gold_correct, p.n_gold), "n_gold": p.n_gold,
                   "median_seconds": p.median_seconds(),
                   "labels": {label: p.labels.get(label, 0) for label in labels}}
            for name, p in sorted(tally.people.items())}


def _report(tally: TeamTally, *, bootstrap: int, seed: int) -> dict:
    counts, sentences, labels = tally.matrix()
    n_sentences = int(sentences.sum())
    draws = _resamples(sentences, bootstrap, seed)
    overall = _coefficients(counts, sentences, draws)
    per_label = {}
    for i, label in enumerate(labels):
        one_vs_rest = np.stack([counts[:, i], counts.sum(axis=1) - counts[:, i]], axis=1)
        figures = _coefficients(one_vs_rest, sentences, draws)
        per_label[label] = {"n": int(tally.label_totals.get(label, 0)),
                            "n_compared": int(round(sentences @ counts[:, i])), **figures}
    result = {
        "n_sentences": n_sentences,
        "n_units": tally.n_units,
        "n_single": tally.n_single,
        "n_annotations": int(sum(tally.label_totals.values())),
        "n_annotators": len(tally.people),
        "n_gold_sentences": tally.n_gold_units,
        "labels": labels,
        **overall,
        "percent_agreement": _number(percent_agreement(counts, sentences)) if n_sentences else None,
        "bootstrap": {"resamples": int(bootstrap) if draws is not None else 0, "seed": seed,
                      "interval": "percentile 95%"},
        "per_label": per_label,
        "pairwise": _pairwise(tally, labels),
        "confusion": _confusion(counts, sentences, labels),
        "annotators": _annotators(tally, labels),
    }
    if not n_sentences:
        result["note"] = "no sentence has two or more annotators: nothing to compare"
    return result
