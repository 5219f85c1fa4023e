"""Agreement between annotators: pairwise and Krippendorff's alpha over labelled records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations


def agreement(records: Iterable[dict]) -> dict:
    """Pairwise agreement and Krippendorff's alpha (nominal) over multiply-annotated records."""
    units = [rec["votes"] for rec in records if rec.get("n_annotations", 0) >= 2]
    pairs = agree = 0
    coincidence: Counter = Counter()
    for votes in units:
        values = [label for label, n in votes.items() for _ in range(n)]
        m = len(values)
        for a, b in combinations(values, 2):
            pairs += 1
            agree += a == b
        for a in values:
            for b in values:
                coincidence[(a, b)] += 1.0 / (m - 1)
        for a in values:  # remove self-pairs counted above
            coincidence[(a, a)] -= 1.0 / (m - 1)
    result = {"units": len(units), "pairs": pairs,
              "percent_agreement": (agree / pairs) if pairs else None, "krippendorff_alpha": None}
    n_total = sum(coincidence.values())
    if n_total > 1:
        marginals: Counter = Counter()
        for (a, _b), w in coincidence.items():
            marginals[a] += w
        observed = sum(w for (a, b), w in coincidence.items() if a != b) / n_total
        expected = sum(marginals[a] * marginals[b] for a in marginals for b in marginals if a != b)
        expected /= n_total * (n_total - 1)
        result["krippendorff_alpha"] = 1.0 - observed / expected if expected else 1.0
    return result
