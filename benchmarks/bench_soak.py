"""Many annotators at once, SQLite against PostgreSQL: submissions/s, failures, latency.

Usage:
    python benchmarks/bench_soak.py               # 90 s per database, writes benchmarks/soak.md
    python benchmarks/bench_soak.py --seconds 20  # a shorter run

Starts two Label Studios of its own, one after the other, on loopback ports (the install in
.workbench/studio-venv is reused): one on SQLite (the embedded default) and one on PostgreSQL
(`workbench.studio.local.up(database="postgresql")`, as `workbench studio up --database
postgresql`), each in a temporary home. On each, 8 simulated annotators submit concurrently to
an overlapped project (3 annotators per task) for the same time (tests/soak.py), then the
project is exported and pulled: the table gives submissions per second, failed submissions,
latency percentiles, and how many acknowledged annotations the pull lost or doubled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from soak import soak_and_pull  # noqa: E402

STUDIO_VENV = ROOT / ".workbench" / "studio-venv"


def run_one(database: str, seconds: float, annotators: int) -> dict:
    """Start a Label Studio on `database` in a temporary home, soak it, stop it; its row."""
    from workbench.studio import local

    base = Path(tempfile.mkdtemp(prefix=f"workbench-bench-soak-{database}-"))
    base.chmod(0o755)  # as root, PostgreSQL runs as the postgres system user: it must enter
    home = local.StudioHome(base / ".workbench", venv_dir=STUDIO_VENV)
    try:
        print(f"[{database}] starting Label Studio...", file=sys.stderr, flush=True)
        values = local.up(home, port=local.free_port(0), database=database,
                          echo=lambda m: print(f"[{database}] {m}", file=sys.stderr, flush=True))
        print(f"[{database}] {annotators} annotators for {seconds:g} s...", file=sys.stderr,
              flush=True)
        outcome = soak_and_pull(values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"],
                                base / "work", database=database, seconds=seconds,
                                annotators=annotators)
    finally:
        local.down(home)
        shutil.rmtree(base, ignore_errors=True)
    row = outcome.soak.summary()
    pulled = {(r["task_id"], a) for r in outcome.pulled for a in r["annotators"]}
    row["pulled"] = len(pulled)
    row["lost"] = len(set(outcome.expected) - set(outcome.raw))
    row["doubled"] = sum(n - 1 for n in outcome.raw.values() if n > 1)
    return row


def render(rows: list[dict], seconds: float, annotators: int) -> str:
    """The Markdown report: one row per database, then the ratio."""
    lines = [
        "# Soak: many annotators at once, SQLite vs PostgreSQL",
        "",
        f"{annotators} simulated annotators submit concurrently for {seconds:g} s to an overlapped "
        f"project (3 annotators per task) of a Label Studio 1.23 on loopback; both servers run "
        f"one after the other in one run on the same machine ({platform.machine()}, "
        f"{os.cpu_count()} cores, shared), measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Written by "
        f"`python benchmarks/bench_soak.py` (`make bench`).",
        "",
        "| database | submissions | per second | failed | p50 ms | p95 ms | max ms | pulled | lost | doubled |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['database']} | {r['submitted']} | {r['per_second']} | {r['failures']} "
                     f"| {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['pulled']} "
                     f"| {r['lost']} | {r['doubled']} |")
    by = {r["database"]: r for r in rows}
    if {"sqlite", "postgresql"} <= set(by) and by["sqlite"]["per_second"]:
        lines += ["", f"PostgreSQL takes {by['postgresql']['per_second'] / by['sqlite']['per_second']:.1f}x "
                      f"the submissions per second of SQLite; its p95 latency is "
                      f"{by['postgresql']['p95_ms'] / max(by['sqlite']['p95_ms'], 1e-9):.2f}x SQLite's."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--annotators", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "soak.md")
    args = parser.parse_args()
    rows = [run_one(db, args.seconds, args.annotators) for db in ("sqlite", "postgresql")]
    report = render(rows, args.seconds, args.annotators)
    print(report)
    args.out.write_text(report, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
