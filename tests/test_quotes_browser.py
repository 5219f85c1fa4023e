"""The quote labelling view in a real browser: a pushed article opens with its Source, Cue and
Content regions already drawn (the picture in docs/quotes-labelling.png)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, log_in
from test_browser import browser_context, need  # noqa: F401  (the fixture)
from test_quotes_studio import write_article

pytestmark = pytest.mark.integration

SCREENSHOT = REPO / "docs" / "quotes-labelling.png"


def test_labelling_view_opens_with_the_predicted_regions(label_studio, studio, project_name,
                                                         tmp_path, browser_context):  # noqa: F811
    if not (label_studio.username and label_studio.password):
        need("no admin login for this Label Studio (set LABEL_STUDIO_USERNAME and "
             "LABEL_STUDIO_PASSWORD with LABEL_STUDIO_URL)")
    article = write_article(tmp_path)
    subprocess.run([sys.executable, "-m", "workbench", "push", "--task", "quotes", str(article),
                    "--project", project_name], env=label_studio.env(), cwd=tmp_path,
                   check=True, capture_output=True, timeout=300)
    pid = studio.project_id(project_name)
    [task] = list(studio.iter_tasks(pid))
    [prediction] = studio.predictions(task["id"])
    regions = [r for r in prediction["result"] if r["type"] == "labels"]
    relations = [r for r in prediction["result"] if r["type"] == "relation"]

    page = browser_context.new_page()
    log_in(page, label_studio.url, label_studio.username, label_studio.password)
    page.goto(f"{label_studio.url}/projects/{pid}/data?labeling=1")
    page.locator(".htx-highlight").first.wait_for()
    highlighted = {page.locator(".htx-highlight").nth(k).inner_text().strip()
                   for k in range(page.locator(".htx-highlight").count())}
    assert {r["value"]["text"].strip() for r in regions} <= highlighted
    page.screenshot(path=str(tmp_path / "quotes-labelling.png"), full_page=True)
    if os.environ.get("WORKBENCH_UPDATE_DOCS"):  # refresh the README's picture on purpose only
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(tmp_path / "quotes-labelling.png", SCREENSHOT)
    body = page.locator("body").inner_text()
    (tmp_path / "page.txt").write_text(body, encoding="utf-8")
    # each relation is drawn as an arrow labelled with its relation label
    assert [line.strip() for line in body.splitlines()].count("says") == len(relations), body
