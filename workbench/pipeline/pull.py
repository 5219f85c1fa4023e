"""Pull a project's labels: an export snapshot streamed item by item into labelled records."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbench.core.files import atomic_write
from workbench.core.jsonstream import iter_array
from workbench.studio.exports import export_to_file, iter_labelled
from workbench.studio.labelconfig import FROM_NAME
from workbench.team.agreement import agreement


@contextmanager
def exported_tasks(studio, pid: int, *, workdir: Path | None = None) -> Iterator[Iterator[dict]]:
    """The project's exported tasks (with their annotations), streamed.

    The export snapshot is downloaded to a temporary file (in `workdir`, else the system's
    temp folder) and parsed one task at a time, so memory does not grow with the project;
    the file is removed when the block ends.
    """
    with tempfile.TemporaryDirectory(dir=workdir, prefix=".pull-") as tmp:
        snapshot = export_to_file(studio, pid, Path(tmp) / "export.json")
        with open(snapshot, encoding="utf-8") as handle:
            yield iter_array(handle, where=f"export of project {pid}")


@contextmanager
def labelled_records(studio, pid: int, *, from_name: str = FROM_NAME,
                     workdir: Path | None = None) -> Iterator[Iterator[dict]]:
    """The project's labelled sentences (ground truth, else majority; ties flagged), streamed."""
    with exported_tasks(studio, pid, workdir=workdir) as tasks:
        yield iter_labelled(tasks, from_name)


@dataclass(frozen=True)
class PullResult:
    """What a pull wrote, and the agreement over sentences labelled by several annotators."""

    written: int
    ties: int
    included_ties: bool
    agreement: dict
    below_min_agreement: int = 0
    sources: dict | None = None  # lines written per source: ground_truth, majority, single


def pull_labels(studio, pid: int, output: Path, *, include_ties: bool = False,
                min_agreement: float | None = None, from_name: str = FROM_NAME) -> PullResult:
    """Write one JSON line per labelled sentence to `output` (atomically).

    Each line's label is the ground truth, else the majority (`source`), with `agreement`,
    the share of annotators who chose it. Ties are left out unless `include_ties` (then
    written with `label: null`); with `min_agreement`, so are sentences below it.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    ties = written = below = 0
    sources: Counter = Counter()
    vectors: Counter = Counter()  # sentences per vote vector: memory does not grow with the export
    with labelled_records(studio, pid, from_name=from_name, workdir=output.parent) as records, \
            atomic_write(output) as out:
        for rec in records:
            ties += rec["tie"]
            if rec["n_annotations"] >= 2:
                vectors[tuple(sorted(rec["votes"].items()))] += 1
            if rec["tie"] and not include_ties:
                continue
            if min_agreement is not None and not rec["tie"] and rec["agreement"] < min_agreement:
                below += 1
                continue
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            written += 1
            sources[rec["source"] or "tie"] += 1
    units = ({"votes": dict(key), "n_annotations": sum(n for _, n in key), "weight": count}
             for key, count in vectors.items())
    return PullResult(written, ties, include_ties, agreement(units), below, dict(sources))
