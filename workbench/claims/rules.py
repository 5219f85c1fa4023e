"""Cold-start labelling functions (French and English) that vote before any human label exists.

Each labelling function (LF) takes a sentence record (a dict with "text" and
optionally "role") and returns one of the four claim labels or None (abstain).
Their weighted majority vote gives the first pre-annotations; `rules_report`
shows how much of a corpus they cover and where they disagree, so a
team can see what the rules miss before trusting them. The labelling
functions read a sentence through `workbench.claims.cues.analyse`, the reading the
model's cue features use too, so a cue means the same in both;
`RuleClassifier` wraps their vote as a classifier with scikit-learn's contract, written
by hand so that the cold start (`workbench.claims.coldstart`) never imports scikit-learn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from workbench.claims import lexicon
from workbench.claims.cues import PHRASES, SentenceView, analyse, phrase_set
from workbench.core.labels import FACT, LABELS, NOT_A_CLAIM, OPINION, QUOTE

STRUCTURAL_ROLES = ("title", "heading", "byline")

LabellingFunction = Callable[[Mapping], "str | None"]


def labelling_function(label: str, weight: float = 1.0):
    """Declare an LF: the one label it may emit and how much its vote counts."""

    def decorate(fn):
        fn.label = label
        fn.weight = weight
        return fn

    return decorate


# --- what the LFs look for, read by `cues.analyse` -----------------------------

_ATTRIBUTION = PHRASES["attribution"]
_STANCE = PHRASES["stance"]
_HEDGES = PHRASES["hedge"]
_EVALUATIVE = PHRASES["evaluative"]
_INTENSIFIERS = PHRASES["intensifier"]
_SOURCE_PREFIX = phrase_set(lexicon.SOURCE_PREFIXES)
_CALLS = phrase_set(lexicon.CALLS_TO_ACTION)


def _attributed(v: SentenceView) -> bool:
    return bool(v.speech_verbs or v.inverted or v.phrases(_ATTRIBUTION) or v.phrases(_STANCE))


def _opinionated(v: SentenceView) -> bool:
    return bool(
        v.has_word("first_person")
        or v.phrases(_CALLS)
        or v.phrases(_HEDGES)
        or len(v.phrases(_EVALUATIVE)) + len(v.phrases(_INTENSIFIERS)) >= 2
    )


# --- the labelling functions ---------------------------------------------------


@labelling_function(NOT_A_CLAIM, weight=3.0)
def lf_structural_role(record):
    """Titles, headings and bylines are not claims."""
    return NOT_A_CLAIM if analyse(record).role in STRUCTURAL_ROLES else None


@labelling_function(NOT_A_CLAIM, weight=2.0)
def lf_byline_pattern(record):
    """A dateline or "By/Par Name" line is not a claim."""
    v = analyse(record)
    return NOT_A_CLAIM if v.words <= 12 and v.byline else None


@labelling_function(NOT_A_CLAIM, weight=1.5)
def lf_question(record):
    """A question asserts nothing."""
    text = analyse(record).text.strip()
    return NOT_A_CLAIM if text.endswith("?") else None


@labelling_function(NOT_A_CLAIM, weight=1.0)
def lf_fragment(record):
    """A few words without a final stop are a fragment or a heading."""
    v = analyse(record)
    text = v.text.strip()
    if v.words <= 5 and (not text or text[-1] not in ".!»\"”"):
        return NOT_A_CLAIM
    return None


@labelling_function(QUOTE, weight=2.0)
def lf_quote_and_speaker(record):
    """Quotation marks plus a verb of saying: direct speech."""
    v = analyse(record)
    return QUOTE if v.quote_marks >= 2 and (v.speech_verbs or v.inverted) else None


@labelling_function(QUOTE, weight=2.0)
def lf_inverted_speaker(record):
    """ "..., a-t-il signalé", "déclare-t-elle": inverted speaker after the words."""
    v = analyse(record)
    return QUOTE if v.inverted and (v.speech_verbs or v.quote_marks) else None


@labelling_function(QUOTE, weight=1.5)
def lf_according_to(record):
    """ "selon X", "d'après X", "according to X"."""
    return QUOTE if analyse(record).phrases(_SOURCE_PREFIX) else None


@labelling_function(QUOTE, weight=1.5)
def lf_reported_stance(record):
    """ "X estime que", "X a déclaré que", "X said that": reported speech or belief."""
    v = analyse(record)
    return QUOTE if v.phrases(_STANCE) and v.source_named else None


@labelling_function(QUOTE, weight=1.0)
def lf_speech_verb_with_source(record):
    """A verb of saying with a named source, a title or a pronoun."""
    v = analyse(record)
    if (v.speech_verbs or v.phrases(_ATTRIBUTION)) and v.source_named:
        return QUOTE
    return None


@labelling_function(OPINION, weight=1.5)
def lf_first_person(record):
    """The author speaks as "je/nous/I/we" outside quotation marks."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or _attributed(v):
        return None
    return OPINION if v.has_word("first_person") else None


@labelling_function(OPINION, weight=1.0)
def lf_call_to_action(record):
    """ "il faut", "doit", "should", "must" in the author's voice."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or _attributed(v):
        return None
    return OPINION if v.phrases(_CALLS) else None


@labelling_function(OPINION, weight=1.0)
def lf_evaluative(record):
    """Evaluative or loaded words, unattributed."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or _attributed(v):
        return None
    hits = len(v.phrases(_EVALUATIVE)) + len(v.phrases(_INTENSIFIERS))
    return OPINION if hits >= 2 or (hits and v.text.rstrip().endswith("!")) else None


@labelling_function(OPINION, weight=1.0)
def lf_hedge(record):
    """Speculation: "peut-être", "probablement", "likely", "seems"."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or _attributed(v):
        return None
    return OPINION if v.phrases(_HEDGES) else None


@labelling_function(OPINION, weight=0.5)
def lf_exclamation_or_address(record):
    """An exclamation or a "vous/you" addressed to the reader."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or _attributed(v) or v.quote_marks:
        return None
    if v.text.rstrip().endswith("!") or v.has_word("second_person"):
        return OPINION
    return None


@labelling_function(FACT, weight=1.0)
def lf_dated_event(record):
    """A date and no opinion or attribution cue: a checkable event."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or v.words < 6 or _attributed(v) or _opinionated(v):
        return None
    return FACT if v.dated else None


@labelling_function(FACT, weight=1.0)
def lf_figures(record):
    """Percentages or amounts, unattributed and unjudged."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or v.words < 6 or _attributed(v) or _opinionated(v):
        return None
    return FACT if v.figures else None


@labelling_function(FACT, weight=0.75)
def lf_past_event_named(record):
    """Someone named did something (past tense), unattributed and unjudged."""
    v = analyse(record)
    if v.role in STRUCTURAL_ROLES or v.words < 6 or _attributed(v) or _opinionated(v):
        return None
    if v.text.strip().endswith(("?", "!")):
        return None
    return FACT if v.source_named and v.past_event else None


LABELLING_FUNCTIONS: list[LabellingFunction] = [
    lf_structural_role,
    lf_byline_pattern,
    lf_question,
    lf_fragment,
    lf_quote_and_speaker,
    lf_inverted_speaker,
    lf_according_to,
    lf_reported_stance,
    lf_speech_verb_with_source,
    lf_first_person,
    lf_call_to_action,
    lf_evaluative,
    lf_hedge,
    lf_exclamation_or_address,
    lf_dated_event,
    lf_figures,
    lf_past_event_named,
]


# --- votes ---------------------------------------------------------------------


def apply_rules(records: Iterable[Mapping], lfs: list[LabellingFunction] | None = None) -> list[list[str | None]]:
    """One row per record, one vote (label or None) per labelling function."""
    lfs = LABELLING_FUNCTIONS if lfs is None else lfs
    return [[lf(record) for lf in lfs] for record in records]


def _weighted_votes(votes: list[str | None], lfs: list[LabellingFunction]) -> Counter:
    tally: Counter = Counter()
    for lf, vote in zip(lfs, votes):
        if vote is not None:
            tally[vote] += getattr(lf, "weight", 1.0)
    return tally


def majority_vote(
    records: Iterable[Mapping], lfs: list[LabellingFunction] | None = None
) -> list[tuple[str | None, float]]:
    """Weighted majority label per record and its share of the vote (None, 0.0 when all abstain).

    A tie between labels is left undecided (None) rather than broken at random.
    """
    lfs = LABELLING_FUNCTIONS if lfs is None else lfs
    out = []
    for votes in apply_rules(records, lfs):
        tally = _weighted_votes(votes, lfs)
        if not tally:
            out.append((None, 0.0))
            continue
        ranked = tally.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            out.append((None, 0.0))
            continue
        out.append((ranked[0][0], ranked[0][1] / sum(tally.values())))
    return out


def rules_report(records: Iterable[Mapping], lfs: list[LabellingFunction] | None = None) -> dict:
    """Per-LF coverage, overlaps and conflicts (and accuracy where records carry a "label")."""
    lfs = LABELLING_FUNCTIONS if lfs is None else lfs
    records = list(records)
    matrix = apply_rules(records, lfs)
    n = len(records)
    gold = [r.get("label") if isinstance(r, Mapping) else None for r in records]
    rows = []
    for j, lf in enumerate(lfs):
        fired = overlap = conflict = correct = judged = 0
        for i, votes in enumerate(matrix):
            vote = votes[j]
            if vote is None:
                continue
            fired += 1
            others = [v for k, v in enumerate(votes) if k != j and v is not None]
            overlap += bool(others)
            conflict += any(v != vote for v in others)
            if gold[i] is not None:
                judged += 1
                correct += gold[i] == vote
        rows.append({
            "name": lf.__name__,
            "label": getattr(lf, "label", None),
            "weight": getattr(lf, "weight", 1.0),
            "fired": fired,
            "coverage": fired / n if n else 0.0,
            "overlaps": overlap / n if n else 0.0,
            "conflicts": conflict / n if n else 0.0,
            "accuracy": correct / judged if judged else None,
        })
    voted = [any(v is not None for v in votes) for votes in matrix]
    conflicted = [len({v for v in votes if v is not None}) > 1 for votes in matrix]
    decided = majority_vote(records, lfs)
    judged = [(g, d[0]) for g, d in zip(gold, decided) if g is not None and d[0] is not None]
    return {
        "records": n,
        "coverage": sum(voted) / n if n else 0.0,
        "conflicts": sum(conflicted) / n if n else 0.0,
        "decided": sum(1 for d in decided if d[0] is not None) / n if n else 0.0,
        "vote_accuracy": (sum(g == p for g, p in judged) / len(judged)) if judged else None,
        "label_counts": dict(Counter(d[0] for d in decided if d[0] is not None)),
        "functions": rows,
    }


def format_rules_report(report: dict) -> str:
    """The rules report as a Markdown table (it reads as plain text too)."""

    def pct(x):
        return "-" if x is None else f"{100 * x:.1f}%"

    lines = [
        f"{report['records']} sentences: coverage {pct(report['coverage'])}, "
        f"conflicts {pct(report['conflicts'])}, decided by vote {pct(report['decided'])}"
        + (f", vote accuracy {pct(report['vote_accuracy'])}" if report.get("vote_accuracy") is not None else ""),
        "",
        "| function | label | weight | fired | coverage | overlaps | conflicts | accuracy |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["functions"]:
        lines.append(
            f"| {row['name']} | {row['label']} | {row['weight']:g} | {row['fired']} | {pct(row['coverage'])} "
            f"| {pct(row['overlaps'])} | {pct(row['conflicts'])} | {pct(row['accuracy'])} |"
        )
    return "\n".join(lines) + "\n"


# --- the rules as a classifier -------------------------------------------------

# Where no rule speaks on a body sentence, most news sentences state facts.
DEFAULT_PRIOR = {FACT: 0.45, QUOTE: 0.25, OPINION: 0.2, NOT_A_CLAIM: 0.1}


class RuleClassifier:
    """The labelling functions' weighted vote as a classifier with smoothed probabilities.

    Nothing is learned: `fit` only fixes `classes_` to the four claim labels.
    Each record's probabilities are `prior * smoothing + weighted votes`,
    normalised; a title, heading or byline gets `structural` on not_a_claim.
    It keeps scikit-learn's contract (parameters stored by `__init__`, `get_params`,
    `set_params`, `fit` returning self, string `classes_`), so it clones and pickles,
    without inheriting from scikit-learn: importing that takes longer than a push's start.
    """

    def __init__(self, smoothing: float = 1.0, structural: float = 0.94, prior: dict | None = None):
        self.smoothing = smoothing
        self.structural = structural
        self.prior = prior

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters, as scikit-learn's `clone` reads them."""
        return {"smoothing": self.smoothing, "structural": self.structural, "prior": self.prior}

    def set_params(self, **params) -> RuleClassifier:
        """Change constructor parameters; unknown names are refused."""
        unknown = set(params) - set(self.get_params())
        if unknown:
            raise ValueError(f"RuleClassifier has no parameter {', '.join(sorted(unknown))}; "
                             f"use {', '.join(self.get_params())}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != RuleClassifier().get_params()[k]}
        return "RuleClassifier(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    def fit(self, X=None, y=None) -> RuleClassifier:
        """Fix `classes_` and the normalised prior; the records and labels are not used."""
        prior = dict(DEFAULT_PRIOR if self.prior is None else self.prior)
        unknown = set(prior) - set(LABELS)
        if unknown:
            raise ValueError(f"prior names labels the rules do not know: {sorted(unknown)}; use {list(LABELS)}")
        self.classes_ = np.asarray(sorted(LABELS), dtype=object)
        p = np.asarray([float(prior.get(c, 0.0)) for c in self.classes_])
        self.prior_ = p / p.sum() if p.sum() > 0 else np.full(len(p), 1 / len(p))
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Smoothed vote shares, columns in the order of `classes_`."""
        if not hasattr(self, "prior_"):
            raise AttributeError("this RuleClassifier is not fitted yet; call fit() first")
        index = {c: i for i, c in enumerate(self.classes_)}
        out = []
        for record in X:
            votes = _weighted_votes([lf(record) for lf in LABELLING_FUNCTIONS], LABELLING_FUNCTIONS)
            row = self.prior_ * self.smoothing
            for label, weight in votes.items():
                row[index[label]] += weight
            row = row / row.sum()
            if analyse(record).role in STRUCTURAL_ROLES:
                rest = (1 - self.structural) * row / row.sum()
                row = rest
                row[index[NOT_A_CLAIM]] += self.structural
                row = row / row.sum()
            out.append(row)
        return np.asarray(out).reshape(len(out), len(self.classes_))

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
