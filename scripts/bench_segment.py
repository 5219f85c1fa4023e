"""Benchmark reading + segmentation: throughput per core and peak memory at 1x, 2x, 4x input.

Usage:
    python scripts/bench_segment.py                 # 10 MB base size, print the report
    python scripts/bench_segment.py --mb 10 --write # also write benchmarks/segmentation.md

The input is generated, not copied: articles assembled at random (fixed seed)
from the sentences of our own gold data (tests/data/gold), with titles,
standfirsts, bylines, standalone and glued headings and glued sentences, and
written as one .txt file per article under a temporary directory. Each size is
measured in a fresh child process so that its peak RSS is its own; memory that
stays flat from 1x to 4x shows that articles are streamed, not accumulated.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOLD_DIR = ROOT / "tests" / "data" / "gold"
FALLBACK = {
    "heading": ["Des relations tendues", "A gap in the budget", "Les lycées en priorité", "What comes next"],
    "body": ["Le conseil a voté le budget mardi soir.", "The council approved the plan on Tuesday.",
             "Selon M. Dupont, la hausse atteint 3,5 % cette année.",
             "Dr. Smith said the U.S. trial would end in May."],
}


def sentence_pool() -> dict[str, list[str]]:
    """Gold sentences grouped by role (a small built-in pool when no gold is present)."""
    pool: dict[str, list[str]] = {"heading": [], "body": [], "lead": [], "byline": [], "title": []}
    for gold in sorted(GOLD_DIR.glob("*/*.gold.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            pool[record["role"]].append(record["text"])
    for role, sentences in FALLBACK.items():
        if not pool[role]:
            pool[role] = list(sentences)
    pool["title"] = pool["title"] or pool["heading"]
    pool["lead"] = pool["lead"] or pool["body"]
    pool["byline"] = pool["byline"] or ["16.12.2026, Le Courrier"]
    return pool


def make_article(rng: random.Random, pool: dict[str, list[str]]) -> str:
    """One synthetic article in the scraped layout the workbench meets."""
    parts = [rng.choice(pool["title"]), "\n\n", rng.choice(pool["lead"]), " ",
             rng.choice(pool["byline"]), "\n\n"]
    for _ in range(rng.randint(3, 6)):
        paragraph = []
        for _ in range(rng.randint(2, 6)):
            glue = rng.random()
            if glue < 0.1:
                paragraph.append(rng.choice(pool["heading"]))  # glued heading
                paragraph.append(rng.choice(pool["body"]) + " ")
            elif glue < 0.2:
                paragraph.append(rng.choice(pool["body"]))  # glued sentence
            else:
                paragraph.append(rng.choice(pool["body"]) + " ")
        parts += ["".join(paragraph).rstrip(), "\n\n"]
        if rng.random() < 0.3:
            parts += [rng.choice(pool["heading"]), "\n\n"]
    return "".join(parts)


def generate(directory: Path, megabytes: float, seed: int = 7) -> int:
    """Write articles under directory (100 per sub-folder) until the size is reached; return bytes."""
    rng, pool, written, count = random.Random(seed), sentence_pool(), 0, 0
    while written < megabytes * 1e6:
        folder = directory / f"{count // 100:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = make_article(rng, pool).encode("utf-8")
        (folder / f"article-{count:06d}.txt").write_bytes(data)
        written, count = written + len(data), count + 1
    return written


def child(directory: str) -> None:
    """Read and segment everything under directory; print a JSON measurement."""
    from workbench.text.articles import iter_articles
    from workbench.text.segment import segment_article

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    errors: list = []
    total_bytes = sentences = articles = 0
    segment_cpu = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for article in iter_articles([directory], errors=errors):
        started = time.process_time()
        sentences += len(segment_article(article))
        segment_cpu += time.process_time() - started
        total_bytes += len(article.text.encode("utf-8"))
        articles += 1
    print(json.dumps({
        "bytes": total_bytes, "articles": articles, "sentences": sentences, "errors": len(errors),
        "segment_cpu": segment_cpu, "total_cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "baseline_rss_mb": baseline_kb / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def measure(directory: Path) -> dict:
    """Run the child on a directory in a fresh interpreter."""
    result = subprocess.run([sys.executable, __file__, "--child", str(directory)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def report(base_mb: float) -> str:
    """Generate 1x, 2x, 4x inputs, measure each, and format the results as Markdown."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-segment-") as tmp:
        for factor in (1, 2, 4):
            directory = Path(tmp) / f"x{factor}"
            generate(directory, base_mb * factor)
            rows.append((factor, measure(directory)))
    lines = ["# Segmentation benchmark", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}, one process (one core). "
             "Input: synthetic articles assembled from our gold sentences (with glued headings and "
             "sentences), one .txt file each, read with `iter_articles` from a directory and segmented "
             "with `segment_article`. Produced by `python scripts/bench_segment.py --write`.", "",
             "| input | articles | sentences | segmentation MB/s per core (incl. repairs) | "
             "read + detect language + segment MB/s | peak RSS MB | RSS at start MB |",
             "|---|---|---|---|---|---|---|"]
    for factor, m in rows:
        mb = m["bytes"] / 1e6
        lines.append(f"| {factor}x = {mb:.1f} MB | {m['articles']} | {m['sentences']} | "
                     f"{mb / m['segment_cpu']:.2f} | {mb / m['total_cpu']:.2f} | "
                     f"{m['peak_rss_mb']:.1f} | {m['baseline_rss_mb']:.1f} |")
    growth = rows[-1][1]["peak_rss_mb"] - rows[0][1]["peak_rss_mb"]
    lines += ["", f"Peak RSS grows by {growth:.1f} MB from 1x to 4x input: memory is flat "
              "(articles are streamed one at a time)." if abs(growth) < 20 else
              f"Peak RSS grows by {growth:.1f} MB from 1x to 4x input: check for accumulation."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="base input size in MB (default 10)")
    parser.add_argument("--write", action="store_true", help="write benchmarks/segmentation.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    text = report(args.mb)
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "segmentation.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
