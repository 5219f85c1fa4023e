"""Matching speed: 100k sentences against a store of 50k checked claims, TF-IDF, one core.

Sentences come from ../shared/data (ClaimBuster, CheckThat! subjectivity, PolNeAR articles);
the store is 50k of them (made distinct by a year where the pool runs short), the queries
100k drawn from the pool. Measured side by side in one run: our pruned index against the
exact one (every n-gram kept) on the same first queries, and how often both pick the same
best claim. BLAS and every thread pool are held to one thread; speed per core is sentences
per second of the process's CPU time (the machine may be shared), wall-clock beside it.

Example: nice -n 10 python benchmarks/bench_checked.py --write
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

SHARED = REPO.parent / "shared" / "data"


def pool() -> list[str]:
    """Distinct sentences of the shared data sets."""
    texts = [r["text"] for r in json.loads((SHARED / "claimbuster" / "train.json").read_text(encoding="utf-8"))]
    for path in sorted((SHARED / "checkthat2025-subjectivity").glob("*/*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [r["sentence"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    for path in sorted((SHARED / "polnear").glob("*/text/*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            texts += [s for s in re.split(r"(?<=[.!?])\s+", text) if 40 <= len(s) <= 300]
    return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--exact", type=int, default=5_000, help="Queries also run on the exact index.")
    parser.add_argument("--write", action="store_true", help="Write benchmarks/checked_speed.md.")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    from workbench.checked import matching
    from workbench.checked.matching import ClaimMatcher
    from workbench.checked.store import CheckedClaim

    sentences = pool()
    rng = np.random.default_rng(0)
    base = [sentences[i] for i in rng.permutation(len(sentences))]
    store_texts = base[:args.store]
    year = 1990
    while len(store_texts) < args.store:  # a pool too small: distinct variants, a year added
        store_texts += [f"{t} ({year})" for t in base[:args.store - len(store_texts)]]
        year += 1
    claims = [CheckedClaim(text=t, verdict="false", url="", date="", id=i) for i, t in enumerate(store_texts)]
    queries = [sentences[i] for i in rng.integers(0, len(sentences), args.queries)]
    with threadpool_limits(limits=1):
        started = time.perf_counter()
        matcher = ClaimMatcher(claims)
        built = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        best = list(matcher.best(queries))
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        prune_above, matching.PRUNE_ABOVE = matching.PRUNE_ABOVE, 10 ** 9  # the exact index, side by side
        exact = ClaimMatcher(claims)
        few = queries[:args.exact]
        started, cpu = time.perf_counter(), time.process_time()
        exact_best = list(exact.best(few))
        exact_seconds, exact_cpu = time.perf_counter() - started, time.process_time() - cpu
    pruned_speed = len(queries) / cpu_seconds
    exact_speed = len(few) / exact_cpu
    same = np.mean([(a.claim.id if a else None) == (b.claim.id if b else None)
                    for a, b in zip(best[:len(few)], exact_best)])
    lines = ["### Matching speed (TF-IDF, one core)", "",
             f"`python benchmarks/bench_checked.py --write`: {len(queries):,} sentences against a store "
             f"of {len(claims):,} claims (sentences of ../shared/data), one thread.", "",
             "| index | sentences | CPU seconds | wall seconds | sentences/s per core (CPU) |",
             "|---|---|---|---|---|",
             f"| ours (n-grams in more than {matching.PRUNE_SHARE:.0%} of a store over {prune_above:,} "
             f"claims left out) | {len(queries):,} | {cpu_seconds:.1f} | {seconds:.1f} | **{pruned_speed:,.0f}** |",
             f"| exact (every n-gram) | {len(few):,} | {exact_cpu:.1f} | {exact_seconds:.1f} | {exact_speed:,.0f} |", "",
             f"Index built in {built:.1f} s. Speed-up {pruned_speed / exact_speed:.1f}x; the pruned index "
             f"picks the same best claim as the exact one for {same:.1%} of the first {len(few):,} "
             f"sentences. Target: >= 2,000 sentences/s per core."]
    text = "\n".join(lines)
    print(text)
    if args.write:
        (REPO / "benchmarks" / "checked_speed.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
