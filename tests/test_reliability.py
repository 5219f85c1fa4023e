"""Nothing lost, nothing duplicated: kills, concurrent pushes and a faulty network, on a real server."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import DATA
from faultproxy import FaultProxy
from workbench.studio.labelconfig import read_config

pytestmark = pytest.mark.integration


def own_sentences() -> list[str]:
    """Sentences we wrote ourselves (training data), as raw material for big corpora."""
    out = []
    for name in ("train_en.jsonl", "train_fr.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"].strip()
            if text.endswith((".", "!", "?")) and len(text) > 30 and "\n" not in text:
                out.append(text)
    return out


def build_corpus(folder: Path, n_sentences: int, per_article: int = 50, seed: int = 0) -> list[str]:
    """Write articles (title + body) totalling about n_sentences; returns their paths."""
    rng = random.Random(seed)
    pool = own_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in range(-(-n_sentences // per_article)):
        body = [rng.choice(pool) for _ in range(per_article - 1)]
        paragraphs = [" ".join(body[i:i + 5]) for i in range(0, len(body), 5)]
        path = folder / f"corpus-{a:04d}.txt"
        path.write_text(f"Synthetic report number {a}\n\n" + "\n\n".join(paragraphs) + "\n",
                        encoding="utf-8")
        paths.append(str(path))
    return paths


def expected_keys(paths) -> set[str]:
    from workbench.text.articles import iter_articles
    from workbench.text.segment import iter_sentences

    return {s.sentence_id for s in iter_sentences(iter_articles(paths, strict=True))}


def server_keys(studio, pid) -> Counter:
    return Counter(t["data"]["sentence_id"] for t in studio.iter_tasks(pid))


def push_cmd(paths, project, *extra):
    return [sys.executable, "-m", "workbench", "push", *paths, "--project", project, *extra]


def test_kill_and_resume_never_loses_or_duplicates(label_studio, studio, tmp_path, project_name):
    paths = build_corpus(tmp_path / "corpus", 5000)
    keys = expected_keys(paths)
    assert len(keys) >= 5000
    env = label_studio.env()
    rng = random.Random(42)
    mid_push = 0
    for point in range(20):
        # a fresh project per kill point (deleting 5k tasks is slower than creating a project)
        project = f"{project_name[:40]}-{point}"
        pid, _ = studio.ensure_project(project, read_config())
        target = rng.randrange(1, len(keys))  # kill once about this many tasks have landed...
        early = rng.random() < 0.3  # ...or at a random early moment
        proc = subprocess.Popen(push_cmd(paths, project, "--batch-size", "250"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + (rng.uniform(0.2, 3.0) if early else 120)
        while proc.poll() is None and time.monotonic() < deadline:
            if not early and studio.task_count(pid) >= target:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        landed = studio.task_count(pid)
        mid_push += 0 < landed < len(keys)
        rerun = subprocess.run(push_cmd(paths, project, "--batch-size", "250"), env=env,
                               capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        counts = server_keys(studio, pid)
        assert set(counts) == keys, f"kill point {point}: tasks lost or foreign"
        assert max(counts.values()) == 1, f"kill point {point}: duplicates {counts.most_common(3)}"
        assert studio.task_count(pid) == len(keys)
    assert mid_push >= 5, "most kills should land in the middle of a push"


def test_two_pushes_at_once_do_not_duplicate(label_studio, studio, tmp_path, project_name):
    paths = build_corpus(tmp_path / "corpus", 1500, seed=1)
    keys = expected_keys(paths)
    env = label_studio.env()
    procs = [subprocess.Popen(push_cmd(paths, project_name, "--batch-size", "300"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    # Both may try to create the project: the loser may fail cleanly; re-run converges.
    subprocess.run(push_cmd(paths, project_name), env=env, check=True, capture_output=True)
    pid = studio.project_id(project_name)
    counts = server_keys(studio, pid)
    assert set(counts) == keys and max(counts.values()) == 1, outs
    projects = [p for p in studio.sdk.projects.list(title=project_name) if p.title == project_name]
    assert len(projects) >= 1


@pytest.fixture
def flaky(label_studio):
    """A proxy disturbing about one request in five on the way to the real server."""
    with FaultProxy(label_studio.url, rate=0.2, seed=7) as proxy:
        yield proxy


def test_push_through_a_faulty_network_is_exact(label_studio, studio, tmp_path, project_name, flaky):
    paths = build_corpus(tmp_path / "corpus", 3000, seed=2)
    keys = expected_keys(paths)
    env = label_studio.env(LABEL_STUDIO_URL=flaky.url, WORKBENCH_RETRY_SECONDS="120")
    done = subprocess.run(push_cmd(paths, project_name, "--batch-size", "200"), env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert flaky.counts["faults"] >= 3, flaky.counts
    pid = studio.project_id(project_name)
    counts = server_keys(studio, pid)
    assert set(counts) == keys and max(counts.values()) == 1
    # every task kept its prediction, none doubled
    versions = studio.model_versions(pid)
    assert sum(versions.values()) == len(keys), versions


def test_pull_through_a_faulty_network_is_exact(label_studio, studio, tmp_path, project_name):
    from workbench.core.labels import label_to_choice

    paths = build_corpus(tmp_path / "corpus", 300, seed=3)
    env = label_studio.env()
    subprocess.run(push_cmd(paths, project_name), env=env, check=True, capture_output=True)
    pid = studio.project_id(project_name)
    tasks = list(studio.iter_tasks(pid))[:120]
    for i, task in enumerate(tasks):
        studio.create_annotation(task["id"], [{"from_name": "claim_type", "to_name": "text",
                                               "type": "choices",
                                               "value": {"choices": [label_to_choice("opinion" if i % 2 else "verifiable_fact")]}}])
    out = tmp_path / "labels.jsonl"
    out.write_text("previous pull\n")
    with FaultProxy(label_studio.url, rate=0.2, seed=11) as proxy:
        pulls = 0
        for _ in range(3):  # several pulls so the proxy gets its share of requests
            done = subprocess.run([sys.executable, "-m", "workbench", "pull", "--project", project_name,
                                   "-o", str(out)], env=label_studio.env(LABEL_STUDIO_URL=proxy.url,
                                                                          WORKBENCH_RETRY_SECONDS="120"),
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            pulls += 1
            rows = [json.loads(line) for line in out.read_text().splitlines()]
            assert len(rows) == len(tasks)
            assert Counter(r["label"] for r in rows) == {"opinion": 60, "verifiable_fact": 60}
        assert proxy.counts["faults"] >= 1, proxy.counts


def test_interrupted_pull_keeps_the_previous_file(label_studio, studio, tmp_path, project_name):
    paths = build_corpus(tmp_path / "corpus", 100, seed=4)
    env = label_studio.env()
    subprocess.run(push_cmd(paths, project_name), env=env, check=True, capture_output=True)
    out = tmp_path / "labels.jsonl"
    out.write_text('{"previous": true}\n')
    # every request fails: the pull gives up, and the old file is untouched
    with FaultProxy(label_studio.url, rate=1.0, faults=("refuse_502",), max_faults=10**6) as proxy:
        done = subprocess.run([sys.executable, "-m", "workbench", "pull", "--project", project_name,
                               "-o", str(out)], env=label_studio.env(LABEL_STUDIO_URL=proxy.url,
                                                                      WORKBENCH_RETRY_SECONDS="3"),
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 4
    assert out.read_text() == '{"previous": true}\n'
    assert [l for l in done.stderr.splitlines() if l.startswith("error:")][0].count(proxy.url) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".labels") or p.name.startswith(".pull")]
