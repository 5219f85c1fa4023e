"""Agreement between annotators: chance-corrected coefficients over label count matrices.

The kernels take a units x labels matrix of counts (how many annotators gave each label to each
sentence) and optional weights (how many times each row counts, one row of weights per bootstrap
resample), so a whole bootstrap is a few matrix products. `agreement(records)` keeps the pull's
summary over records with `votes`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def _as_weights(counts: np.ndarray, weights) -> np.ndarray:
    """Weights as a 2-D array (resamples x units); one resample of ones when none are given."""
    if weights is None:
        return np.ones((1, counts.shape[0]))
    weights = np.asarray(weights, dtype=float)
    return weights[None, :] if weights.ndim == 1 else weights


def _matrix(counts) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 2:
        raise ValueError(f"expected a units x labels count matrix, got shape {counts.shape}")
    return counts


def _squeeze(values: np.ndarray, weights) -> np.ndarray | float:
    return values if weights is not None and np.ndim(weights) == 2 else float(values[0])


def krippendorff_alpha(counts, weights=None):
    """Krippendorff's alpha (nominal) from a units x labels count matrix; nan when undefined.

    alpha = 1 - (n - 1) * sum_u D_u / (n^2 - sum_c n_c^2), with D_u = (m_u^2 - sum_c n_uc^2) /
    (m_u - 1) the disagreeing pairs of unit u weighted by 1 / (m_u - 1), n the pairable values and
    n_c their marginals. Units with fewer than two values are left out (not pairable). With 2-D
    `weights` (resamples x units) returns one alpha per resample.
    """
    counts = _matrix(counts)
    m = counts.sum(axis=1)
    keep = m >= 2
    w = _as_weights(counts, weights)[:, keep]
    counts, m = counts[keep], m[keep]
    disagree = (m * m - (counts * counts).sum(axis=1)) / np.where(m > 1, m - 1, 1)
    n = w @ m
    n_c = w @ counts
    expected = n * n - (n_c * n_c).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * (w @ disagree) / expected
    alpha = np.where((expected > 0) & (n > 1), alpha, np.nan)
    return _squeeze(alpha, weights)


def fleiss_kappa(counts, weights=None):
    """Fleiss' kappa from a units x labels count matrix; nan when undefined.

    Units may have different numbers of annotators (two or more; others are left out): each
    unit's agreement P_u = (sum_c n_uc^2 - m_u) / (m_u (m_u - 1)) is averaged over units and the
    label shares p_c are taken over all annotations, which is Fleiss (1971) when every unit has
    the same number of annotators (statsmodels' `fleiss_kappa` requires that).
    """
    counts = _matrix(counts)
    m = counts.sum(axis=1)
    keep = m >= 2
    w = _as_weights(counts, weights)[:, keep]
    counts, m = counts[keep], m[keep]
    per_unit = ((counts * counts).sum(axis=1) - m) / np.where(m > 1, m * (m - 1), 1)
    units = w.sum(axis=1)
    total = w @ m
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (w @ per_unit) / units
        shares = (w @ counts) / total[:, None]
        chance = (shares * shares).sum(axis=1)
        kappa = (observed - chance) / (1.0 - chance)
    # chance agreement of 1 (one label only) leaves kappa undefined; tolerate float rounding
    kappa = np.where((units > 0) & (1.0 - chance > 1e-12), kappa, np.nan)
    return _squeeze(kappa, weights)


def percent_agreement(counts, weights=None):
    """Share of agreeing pairs among all pairs of annotations on the same unit; nan with none."""
    counts = _matrix(counts)
    m = counts.sum(axis=1)
    w = _as_weights(counts, weights)
    pairs = w @ (m * (m - 1) / 2)
    agree = w @ (counts * (counts - 1) / 2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pairs > 0, agree / pairs, np.nan)
    return _squeeze(share, weights)


def cohen_kappa(confusion) -> float:
    """Cohen's kappa from a labels x labels confusion matrix of two annotators; nan if undefined.

    Undefined with fewer than two shared items, or when chance agreement is 1 (both annotators
    used one and the same label throughout). Integer counts keep the test for that exact.
    """
    confusion = np.asarray(confusion)
    n = confusion.sum()
    if n < 2:
        return float("nan")
    rows, cols = confusion.sum(axis=1), confusion.sum(axis=0)
    chance = rows @ cols  # n^2 times the chance agreement
    if n * n == chance:
        return float("nan")
    return float((n * np.trace(confusion) - chance) / (n * n - chance))


def agreement(records: Iterable[dict]) -> dict:
    """Pairwise agreement and Krippendorff's alpha (nominal) over multiply-annotated records.

    Each record holds `votes` ({label: count}), `n_annotations` and optionally `weight` (how
    many sentences it stands for, default 1); records with fewer than two annotations are left
    out. Alpha is 1.0 when every annotation has one label (nothing varies).
    """
    vectors: dict[tuple, float] = {}
    for rec in records:
        if rec.get("n_annotations", 0) >= 2:
            key = tuple(sorted(rec["votes"].items()))
            vectors[key] = vectors.get(key, 0) + rec.get("weight", 1)
    labels = sorted({label for key in vectors for label, _ in key})
    counts = np.array([[dict(key).get(label, 0) for label in labels] for key in vectors],
                      dtype=float).reshape(len(vectors), len(labels))
    weights = np.array(list(vectors.values()), dtype=float)
    m = counts.sum(axis=1)
    pairs = int(round(weights @ (m * (m - 1) / 2))) if len(weights) else 0
    result = {"units": int(weights.sum()), "pairs": pairs, "percent_agreement": None,
              "krippendorff_alpha": None}
    if pairs:
        result["percent_agreement"] = float(percent_agreement(counts, weights))
    if len(weights) and weights @ m > 1:
        alpha = krippendorff_alpha(counts, weights)
        result["krippendorff_alpha"] = 1.0 if np.isnan(alpha) else float(alpha)
    return result
