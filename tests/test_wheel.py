"""The built wheel, installed in a fresh virtualenv, works outside the checkout.

Guards what an editable install hides: data files missing from the wheel (the label config once
was), a broken `workbench` entry point, code that reads files relative to the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.integration

# What a fresh checkout holds: environments and build leftovers stay out of the copy we build from
# (a stale build/lib would put files in the wheel that the sources no longer ship).
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", ".workbench", "build", "dist", "*.egg-info",
                                     "__pycache__", ".pytest_cache", ".hypothesis")


def sh(args, *, cwd, env=None, timeout=300) -> subprocess.CompletedProcess:
    """Run a command; fail the test with its output when it exits non-zero."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def clean_env(**extra) -> dict[str, str]:
    """This process's environment without anything pointing at the checkout or its venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith("LABEL_STUDIO_")}
    env.update(extra)
    return env


def build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=NOT_SOURCES)
    sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", src], cwd=tmp,
       env=clean_env())
    (wheel,) = (tmp / "dist").glob("workbench-*.whl")
    return wheel


def install_in_fresh_venv(wheel: Path, venv: Path, tmp: Path) -> Path:
    """A new virtualenv with the wheel (not editable), its dependencies pinned to ours for speed."""
    constraints = tmp / "constraints.txt"
    frozen = sh([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--exclude", "workbench"],
                cwd=tmp, env=clean_env()).stdout
    constraints.write_text(frozen, encoding="utf-8")
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    python = venv / "bin" / "python"
    if uv:
        sh([uv, "venv", "-q", "-p", sys.executable, venv], cwd=tmp, env=clean_env())
        sh([uv, "pip", "install", "-q", "-p", python, "-c", constraints, wheel], cwd=tmp,
           env=clean_env(), timeout=600)
    else:  # slower, same result
        sh([sys.executable, "-m", "venv", venv], cwd=tmp, env=clean_env())
        sh([python, "-m", "pip", "install", "-q", "-c", constraints, wheel], cwd=tmp,
           env=clean_env(), timeout=600)
    return python


# Run by the installed interpreter: where the package is, its examples, its label config.
INSPECT = """
import importlib.resources as r, json, workbench
examples = sorted(str(p) for p in r.files("workbench").joinpath("examples").iterdir()
                  if p.name.endswith(".txt"))
config = r.files("workbench.label_config").joinpath("claims.xml").read_text(encoding="utf-8")
print(json.dumps({"package": workbench.__file__, "examples": examples, "config": config}))
"""


def test_installed_wheel_segments_preannotates_and_pushes(label_studio, studio, project_name,
                                                          tmp_path):
    wheel = build_wheel(tmp_path / "build")
    venv = tmp_path / "venv"
    python = install_in_fresh_venv(wheel, venv, tmp_path / "build")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = clean_env(WORKBENCH_HOME=str(outside / ".workbench"))

    found = json.loads(sh([python, "-c", INSPECT], cwd=outside, env=env).stdout)
    package = Path(found["package"]).resolve()
    assert package.is_relative_to(venv.resolve()) and not package.is_relative_to(REPO), package
    assert 'name="claim_type"' in found["config"]  # label_config/claims.xml is in the wheel
    assert found["examples"], "the wheel ships workbench/examples/*.txt"
    article = Path(found["examples"][0])
    workbench = venv / "bin" / "workbench"

    # segment: sentences with offsets into the article
    segmented = sh([workbench, "segment", article], cwd=outside, env=env, timeout=120).stdout
    sentences = [json.loads(line) for line in segmented.splitlines() if line.strip()]
    assert len(sentences) > 3, segmented
    text = article.read_text(encoding="utf-8")
    for s in sentences:
        assert 0 <= s["start"] < s["end"] <= len(text), s
        assert text[s["start"]:s["end"]] == s["text"], s

    # preannotate: a JSON list of tasks that Label Studio imports, each with a claim_type guess
    sh([workbench, "preannotate", article, "-o", "tasks.json"], cwd=outside, env=env, timeout=120)
    tasks = json.loads((outside / "tasks.json").read_text(encoding="utf-8"))
    assert isinstance(tasks, list)
    assert [t["data"]["sentence_id"] for t in tasks] == [s["sentence_id"] for s in sentences]
    for t in tasks:
        (prediction,) = t["predictions"]
        assert [r["from_name"] for r in prediction["result"]] == ["claim_type"], t

    # push: to the test server, credentials in the environment only
    credentials = {"LABEL_STUDIO_URL": label_studio.url, "LABEL_STUDIO_API_KEY": label_studio.api_key}
    pushed = sh([workbench, "push", article, "--project", project_name], cwd=outside,
                env={**env, **credentials}, timeout=300).stdout
    created = re.search(r"(\d+) tasks created, 0 already present", pushed)
    assert created and int(created.group(1)) == len(sentences), pushed
    pid = studio.project_id(project_name)
    assert pid, f"no project {project_name!r} on {label_studio.url}"
    assert len(list(studio.iter_tasks(pid))) == len(sentences)
