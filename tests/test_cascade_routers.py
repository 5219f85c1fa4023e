"""The cascade's routing bounds (benchmarks/bench_cascade_routers.py): the oracle router is the
best routing of two tiers at every share, and the learned router's text features measure what
is new to the fast model's training sentences."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_cascade_routers import oracle_needs, oracle_order, routed, text_features  # noqa: E402

from workbench.claims.cascade import _macro_f1  # noqa: E402


def tiers(seed: int, n: int = 9):
    """Gold labels and two tiers' labels, the fast one wrong more often."""
    rng = np.random.default_rng(seed)
    y = rng.choice(np.asarray(["OBJ", "SUBJ"], dtype=object), n)
    other = np.where(y == "OBJ", "SUBJ", "OBJ").astype(object)
    fast = np.where(rng.random(n) < 0.4, other, y).astype(object)
    slow = np.where(rng.random(n) < 0.2, other, y).astype(object)
    return y, fast, slow


def test_the_oracle_is_the_best_routing_at_every_share():
    for seed in range(6):
        y, fast, slow = tiers(seed)
        order = oracle_order(y, fast, slow)
        assert all(fast[i] != y[i] and slow[i] == y[i] for i in order)
        for k in range(len(y) + 1):
            best = max(_macro_f1(y, np.where(np.isin(np.arange(len(y)), subset), slow, fast))
                       for m in range(k + 1) for subset in itertools.combinations(range(len(y)), m))
            assert abs(routed(y, fast, slow, order, k) - best) < 1e-12


def test_oracle_needs_the_smallest_share_reaching_the_goal():
    y, fast, slow = tiers(3, n=40)
    order = oracle_order(y, fast, slow)
    goal = _macro_f1(y, slow) - 0.02
    share = oracle_needs(y, fast, slow, goal)
    k = int(round(share * len(y)))
    assert routed(y, fast, slow, order, k) >= goal
    assert k == 0 or routed(y, fast, slow, order, k - 1) < goal
    assert oracle_needs(y, fast, slow, 1.01) is None


def test_text_features_measure_words_new_to_the_training_sentences():
    known = [{"text": "The council voted on Monday."}]
    rows = text_features([{"text": "The council voted on Monday."}, {"text": "I think 12 zebras \"sang\"?"}],
                         known)
    assert rows[0, 1] == 0.0 and rows[0, 2] == 0.0  # every word and word pair seen
    assert rows[1, 1] == 1.0 and rows[1, 2] == 1.0
    assert rows[1, 3] > 0 and rows[1, 4] == 1.0 and rows[1, 5] == 1 and rows[1, 6] == 1.0
    assert rows[0, 5] == 0 and rows[0, 6] == 0.0
