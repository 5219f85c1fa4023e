"""The API key never shows: not in output, logs, errors or reprs, at any verbosity."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import DATA, copy_article


def run(args, env, cwd):
    done = subprocess.run([sys.executable, "-m", "workbench", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.integration
def test_no_output_of_a_full_run_contains_the_key(label_studio, personal_access_token, tmp_path,
                                                  project_name, example_articles):
    pat = personal_access_token
    article = str(copy_article(example_articles[0], tmp_path))
    train = str(DATA / "train_en.jsonl")
    outputs = []
    for key in (label_studio.api_key, pat):
        env = label_studio.env(LABEL_STUDIO_API_KEY=key)
        steps = [
            ["-vv", "push", article, "--project", project_name],
            ["-vv", "pull", "--project", project_name, "-o", "labels.jsonl"],
            ["-vv", "train", train, "-o", "m.joblib"],
            ["-vv", "preannotate", article, "--model", "m.joblib", "--project", project_name],
            ["-vv", "evaluate", "--model", "m.joblib", train, "--json"],
            ["-vv", "pull", "--project", "no such project", "-o", "x.jsonl"],
            ["-vv", "studio", "status"],
        ]
        for step in steps:
            outputs.append(run(step, env, tmp_path))
        wrong = label_studio.env(LABEL_STUDIO_API_KEY=key[:-4] + "abcd")
        outputs.append(run(["-vv", "push", article, "--project", project_name], wrong, tmp_path))
    assert [code for code, _ in outputs[:5]] == [0] * 5, outputs[:5]
    assert "INFO workbench" in outputs[0][1]  # the logs really were on
    for code, text in outputs:
        for key in (label_studio.api_key, pat, pat.split(".")[1]):
            assert key not in text
    assert any("refused the API key" in text for _code, text in outputs)


def test_studio_repr_and_errors_hide_the_key():
    from workbench.studio.client import Studio
    from workbench.core.errors import StudioError

    key = "f" * 40
    studio = Studio("http://127.0.0.1:9", key, retry_seconds=0)
    assert key not in repr(studio)
    with pytest.raises(StudioError) as info:
        studio.whoami()
    assert key not in str(info.value) and "127.0.0.1:9" in str(info.value)


def test_log_filter_redacts_keys_and_auth_headers():
    import logging

    from workbench.cli import RedactSecrets

    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "sent %s with Authorization: Bearer eyJhbGciOi.abc.def and Token 1234567890abcdef",
                               ("secretkey-123456789",), None)
    RedactSecrets(["secretkey-123456789"]).filter(record)
    message = record.getMessage()
    assert "secretkey" not in message and "eyJ" not in message and "1234567890abcdef" not in message
