"""The public Python API: the README's example runs as written against a real Label Studio."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import DATA, REPO

import workbench


def readme_example() -> str:
    """The Python block of the README's "Use from Python" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_verbs_are_documented_and_exported():
    for name in workbench.__all__:
        if name == "__version__":
            continue
        verb = getattr(workbench, name)
        assert callable(verb) and verb.__doc__, name
        assert f"`{name}`" in (REPO / "README.md").read_text(encoding="utf-8"), name


@pytest.mark.integration
def test_the_readme_example_runs(label_studio, studio, tmp_path, monkeypatch, example_articles,
                                 capsys):
    (tmp_path / "articles").mkdir()
    for path in example_articles:
        shutil.copy(path, tmp_path / "articles" / path.name)
    shutil.copy(DATA / "train_en.jsonl", tmp_path / "labels.jsonl")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.api_key)

    exec(compile(readme_example(), "README.md", "exec"), {})  # noqa: S102 - our own README

    out = capsys.readouterr().out
    assert re.search(r"^\d+ sentences, the first: title", out, re.M), out
    created = int(re.search(r"^(\d+) tasks created in project (\d+)", out, re.M).group(1))
    pid = int(re.search(r"tasks created in project (\d+)", out).group(1))
    assert created > 0 and studio.task_count(pid) >= created
    assert "byline" not in {t["data"]["role"] for t in studio.iter_tasks(pid)}
    assert 0.0 < float(re.search(r"macro-F1 ([0-9.]+)", out).group(1)) <= 1.0
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert tasks and all(t["predictions"][0]["model_version"].startswith("claims-") for t in tasks)
    assert re.search(r"^0 labelled sentences pulled", out, re.M)  # nobody annotated yet
    assert (tmp_path / "pulled.jsonl").exists()
