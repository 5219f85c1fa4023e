"""The command line: documented, with examples, and one clear line per error."""

import json
import re
from pathlib import Path

import click
import pytest

from conftest import run_main
from workbench.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))
        else:
            yield prefix + (name,), command


@pytest.mark.parametrize("path,command", list(all_commands()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_an_example_and_is_in_the_readme(path, command):
    assert "Example: workbench " + " ".join(path) in (command.help or "")
    assert re.search(r"workbench " + re.escape(" ".join(path)) + r"\b", README), \
        f"`workbench {' '.join(path)}` is not documented in README.md"


def test_readme_starts_with_the_two_commands():
    head = README.split("\n## ", 1)[0]
    assert "make demo" in head and "make test" in head




def test_no_server_configured_is_one_line(workdir, monkeypatch, capsys):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    (workdir / "a.txt").write_text("Title\n\nA sentence here.\n")
    code, out, err = run_main(["push", "a.txt", "--project", "P"], capsys)
    assert code == 2 and err.count("\n") == 1 and "workbench studio up" in err


def test_half_configured_server_is_refused(workdir, monkeypatch, capsys):
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    code, _, err = run_main(["pull", "--project", "P", "-o", "x.jsonl"], capsys)
    assert code == 2 and "LABEL_STUDIO_API_KEY is not set" in err


def test_segment_writes_jsonl_with_offsets(workdir, capsys):
    text = "Un titre\n\nLe conseil a voté mardi. Le maire a démissionné.\n"
    (workdir / "a.txt").write_text(text, encoding="utf-8")
    code, out, err = run_main(["segment", "a.txt"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["role"] for r in rows][0] == "title"
    for row in rows:
        assert text[row["start"]:row["end"]] == row["text"]
        assert set(row) >= {"article_id", "sentence_id", "index", "text", "start", "end", "role", "lang"}


def test_segment_reports_bad_files_but_processes_the_rest(workdir, capsys):
    (workdir / "good.txt").write_text("Titre\n\nUne phrase.\n")
    (workdir / "empty.txt").write_text("")
    code, out, err = run_main(["segment", "empty.txt", "good.txt", "missing.txt"], capsys)
    assert code == 2
    assert "Une phrase." in out
    lines = [l for l in err.splitlines() if l.startswith("error:")]
    assert len(lines) == 2 and "empty.txt" in lines[0] and "missing.txt" in lines[1]


def test_train_and_evaluate_json_is_one_line(workdir, capsys):
    rows = []
    for k in range(4):
        rows += [{"text": f"The council voted {k} budgets on Tuesday.", "label": "fact", "article_id": f"a{k}"},
                 {"text": f"This is a shameful idea number {k}.", "label": "opinion", "article_id": f"a{k}"}]
    (workdir / "d.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, out, err = run_main(["train", "d.jsonl", "-o", "m.joblib"], capsys)
    assert code == 0 and "written to m.joblib" in out
    report = workdir / "m-report"
    for name in ("report.json", "model_card.md", "confusion.png", "learning_curve.png"):
        assert (report / name).stat().st_size > 0, name
    card = (report / "model_card.md").read_text()
    assert "macro-F1" in card and "sha256" in card
    code, out, err = run_main(["evaluate", "--model", "m.joblib", "d.jsonl", "--json"], capsys)
    assert code == 0 and out.count("\n") == 1
    result = json.loads(out)
    assert {"macro_f1", "n", "per_label"} <= set(result) and result["n"] == 8


def test_malformed_training_line_names_file_and_line(workdir, capsys):
    (workdir / "d.jsonl").write_text('{"text": "a", "label": "x"}\n{not json\n')
    code, _, err = run_main(["train", "d.jsonl", "-o", "m.joblib"], capsys)
    assert code == 2 and "d.jsonl:2: not valid JSON" in err and not (workdir / "m.joblib").exists()


def test_tampered_model_is_one_line(workdir, capsys):
    (workdir / "m.joblib").write_bytes(b"junk")
    code, _, err = run_main(["evaluate", "--model", "m.joblib", "d.jsonl"], capsys)
    assert code == 3 and "no manifest" in err and "Traceback" not in err


def test_preannotate_needs_exactly_one_destination(workdir, capsys):
    (workdir / "a.txt").write_text("Titre\n\nUne phrase.\n")
    code, _, err = run_main(["preannotate", "a.txt"], capsys)
    assert code == 2 and "exactly one of --project" in err


@pytest.mark.parametrize("script", ["push_articles", "pull_labels", "train_model", "preannotate"])
def test_operator_scripts_wrap_the_command(script):
    import subprocess
    import sys

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{script}.py"
    done = subprocess.run([sys.executable, str(path), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Example: workbench" in done.stdout
    source = path.read_text(encoding="utf-8")
    assert "import workbench\n" in source and "workbench.cli import main" not in source


def test_every_figure_in_the_help_is_the_readmes():
    """README and --help agree: each speed or size a command's help quotes is quoted there."""
    figure = re.compile(r"~\d[\d,.]*\d|~?\d[\d,.]*\s*(?:-\s*\d[\d,.]*\s*)?(?:sentences/s|MB|GB|%|s\b)")
    quoted = []
    for path, command in all_commands():
        texts = [command.help or ""] + [p.help or "" for p in command.params
                                        if isinstance(p, click.Option)]
        for text in texts:
            quoted += [(" ".join(path), m.group(0).strip()) for m in figure.finditer(text)]
    assert quoted, "the figure pattern finds the help's figures"
    flat = " ".join(README.split())
    missing = [(cmd, fig) for cmd, fig in quoted if fig not in flat]
    assert missing == []
