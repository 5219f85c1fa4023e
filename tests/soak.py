"""A bounded soak of a real Label Studio: simulated annotators submitting at once, then a pull.

Used by tests/test_soak.py (which checks that nothing is lost or duplicated) and by
benchmarks/bench_soak.py (which compares databases). Loopback only; it stops by itself after
`seconds`. Annotators are created through POST /api/users/ with the admin key; Label Studio
hands no other user's token to an admin, so each submission is the admin key's request with
`completed_by` set to the annotator (the field the annotation API honours).

The tasks are handed out as "Label All Tasks" does on an overlapped project: each task to
`overlap` different annotators, in order, so several annotators submit to the same task at
nearly the same moment (the race worth testing).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

from workbench.core.labels import CHOICES

WORDS = ("council", "harbour", "budget", "school", "bridge", "clinic", "railway", "market",
         "library", "reservoir", "museum", "stadium")


@dataclass
class Soak:
    """What a soak submitted and what came back."""

    database: str
    seconds: float = 0.0
    acknowledged: dict = field(default_factory=dict)  # (task id, user id) -> label key
    failures: list = field(default_factory=list)       # (task id, user id, label key, reason)
    landed_anyway: int = 0                              # failed answers whose annotation exists
    latencies: list = field(default_factory=list)       # seconds per acknowledged submission
    ran_out: bool = False                               # every task got its annotators early

    def summary(self) -> dict:
        """Submissions, submissions per second, failures and latency percentiles (ms)."""
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        return {"database": self.database, "seconds": round(self.seconds, 1),
                "submitted": len(self.acknowledged), "per_second": round(
                    len(self.acknowledged) / self.seconds, 1) if self.seconds else 0.0,
                "failures": len(self.failures), "landed_anyway": self.landed_anyway,
                "p50_ms": round(1000 * statistics.median(lat), 1), "p95_ms": round(1000 * p95, 1),
                "max_ms": round(1000 * lat[-1], 1), "ran_out": self.ran_out}


def write_articles(folder: Path, n_tasks: int, per_article: int = 100) -> list[Path]:
    """Articles of our own making, `n_tasks` distinct sentences in all."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in range(0, n_tasks, per_article):
        lines = [f"Soak article {a // per_article}", ""]
        for i in range(a, min(a + per_article, n_tasks)):
            w = WORDS[i % len(WORDS)]
            lines.append(f"The {w} committee of district {i} approved plan number {i * 7 + 3} "
                         f"on Monday after a vote of {i % 9 + 2} members.")
        path = folder / f"soak-{a // per_article:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def create_annotators(url: str, api_key: str, n: int) -> dict[int, str]:
    """n new users of the admin's organisation: {user id: email}."""
    tag = uuid.uuid4().hex[:8]
    made = {}
    for i in range(n):
        email = f"soak-{tag}-{i}@example.org"
        answer = requests.post(f"{url}/api/users/", headers={"Authorization": f"Token {api_key}"},
                               json={"email": email, "username": email,
                                     "first_name": f"Annotator {i}"}, timeout=60)
        answer.raise_for_status()
        made[answer.json()["id"]] = email
    return made


def _result(label: str) -> list[dict]:
    return [{"from_name": "claim_type", "to_name": "text", "type": "choices",
             "value": {"choices": [CHOICES[label]]}}]


class _Slots:
    """The overlapped queue: each task `overlap` times in a row, never twice to one annotator."""

    def __init__(self, task_ids: list[int], overlap: int):
        self.remaining = {tid: overlap for tid in task_ids}
        self.order = list(task_ids)
        self.done: dict[int, set[int]] = defaultdict(set)
        self.lock = threading.Lock()

    def take(self, user: int) -> int | None:
        with self.lock:
            for tid in self.order:
                if self.remaining[tid] and tid not in self.done[user]:
                    self.remaining[tid] -= 1
                    self.done[user].add(tid)
                    if not self.remaining[tid]:
                        self.order.remove(tid)
                    return tid
        return None


def submit_concurrently(url: str, api_key: str, task_ids: list[int], users: dict[int, str], *,
                        seconds: float, overlap: int, database: str, seed: int = 0) -> Soak:
    """Every user submits, each in its own thread, until `seconds` have passed or tasks run out."""
    soak, slots = Soak(database), _Slots(task_ids, overlap)
    record = threading.Lock()
    stop_at = time.monotonic() + seconds

    def annotator(user: int, rng: random.Random) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {api_key}"
        while time.monotonic() < stop_at:
            tid = slots.take(user)
            if tid is None:
                soak.ran_out = True
                return
            label = rng.choice(sorted(CHOICES))
            body = {"result": _result(label), "completed_by": user,
                    "lead_time": round(rng.uniform(2, 20), 2)}
            began = time.monotonic()
            try:
                answer = session.post(f"{url}/api/tasks/{tid}/annotations/", json=body, timeout=60)
                ok = answer.status_code == 201 and answer.json().get("completed_by") == user
                reason = "" if ok else f"HTTP {answer.status_code}"
            except requests.RequestException as exc:
                ok, reason = False, type(exc).__name__
            spent = time.monotonic() - began
            with record:
                if ok:
                    soak.acknowledged[(tid, user)] = label
                    soak.latencies.append(spent)
                else:
                    soak.failures.append((tid, user, label, reason))

    began = time.monotonic()
    threads = [threading.Thread(target=annotator, args=(uid, random.Random(seed * 1000 + uid)))
               for uid in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    soak.seconds = time.monotonic() - began
    return soak


def settle_failures(url: str, api_key: str, soak: Soak) -> dict:
    """Which failed submissions landed anyway: {(task id, user id): label} read from the server."""
    landed = {}
    for tid, user, label, _reason in soak.failures:
        answer = requests.get(f"{url}/api/tasks/{tid}/annotations/",
                              headers={"Authorization": f"Token {api_key}"}, timeout=60)
        answer.raise_for_status()
        if any(_user_id(a.get("completed_by")) == user for a in answer.json()):
            landed[(tid, user)] = label
    soak.landed_anyway = len(landed)
    return landed


def _user_id(who) -> int | None:
    return who.get("id") if isinstance(who, dict) else who


def push_tasks(env: dict, workdir: Path, project: str, n_tasks: int) -> None:
    """The project's tasks, pushed by the real `workbench push` (no predictions)."""
    paths = write_articles(workdir / "articles", n_tasks)
    _workbench(["push", *map(str, paths), "--project", project, "--no-predictions"], env, workdir)


def pull(env: dict, workdir: Path, project: str) -> list[dict]:
    """The real `workbench pull --include-ties`: one record per labelled sentence."""
    out = workdir / "labels.jsonl"
    _workbench(["pull", "--project", project, "-o", str(out), "--include-ties"], env, workdir)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _workbench(args: list[str], env: dict, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"workbench {args[0]} exited {done.returncode}: {done.stderr.strip()}")


def raw_counts(studio, pid: int) -> Counter:
    """Annotations per (task id, user id) in the project's export snapshot, duplicates counted."""
    from workbench.pipeline.pull import exported_tasks

    counts: Counter = Counter()
    with exported_tasks(studio, pid) as tasks:
        for task in tasks:
            for annotation in task.get("annotations") or []:
                counts[(task["id"], _user_id(annotation.get("completed_by")))] += 1
    return counts


@dataclass
class Outcome:
    """A soak, what the server holds afterwards, and what the pull wrote."""

    soak: Soak
    expected: dict   # (task id, user id) -> label: acknowledged, plus failures that landed
    users: dict      # user id -> email
    raw: Counter     # (task id, user id) -> annotations in the export snapshot
    pulled: list     # the pull's records


def soak_and_pull(url: str, api_key: str, workdir: Path, *, database: str, seconds: float = 90,
                  annotators: int = 8, overlap: int = 3, n_tasks: int = 2000) -> Outcome:
    """Push an overlapped project, soak it with `annotators` for `seconds`, export and pull it."""
    from workbench.studio.client import Studio

    env = {**os.environ, "LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": api_key}
    project = f"soak-{database}-{uuid.uuid4().hex[:8]}"
    workdir.mkdir(parents=True, exist_ok=True)
    push_tasks(env, workdir, project, n_tasks)
    studio = Studio(url, api_key, retry_seconds=30)
    pid = studio.project_id(project)
    studio.set_project_fields(pid, maximum_annotations=overlap, overlap_cohort_percentage=100)
    task_ids = sorted(t["id"] for t in studio.iter_tasks(pid, include="id"))
    users = create_annotators(url, api_key, annotators)
    soak = submit_concurrently(url, api_key, task_ids, users, seconds=seconds, overlap=overlap,
                               database=database)
    expected = {**soak.acknowledged, **settle_failures(url, api_key, soak)}
    return Outcome(soak, expected, users, raw_counts(studio, pid), pull(env, workdir, project))
