"""The annotator's path in a real browser: log in, see the backend's choice, answer with a key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO, copy_article, log_in, wait_until

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO / "docs" / "labelling.png"
HOTKEYS = {"Verifiable fact": "1", "Opinion": "2", "Attributed quote": "3", "Not a claim": "4"}


def need(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped browser test hides a break."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI)")
    pytest.skip(reason)


@pytest.fixture
def browser_context(tmp_path):
    if not CHROMIUM.exists():
        need("Debian's chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("Python playwright is not installed (uv pip install playwright; no browser download)")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            viewport={"width": 1280, "height": 800})
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


def test_annotator_sees_the_prediction_and_answers_with_a_hotkey(
        label_studio, studio, project_name, tmp_path, browser_context):
    from workbench.claims.classifier import save_model, train
    from workbench.core.jsonl import read_jsonl
    from workbench.core.labels import choice_to_label
    from workbench.backend.server import create_app, start_in_thread

    if not (label_studio.username and label_studio.password):
        need("no admin login for this Label Studio (set LABEL_STUDIO_USERNAME and "
             "LABEL_STUDIO_PASSWORD with LABEL_STUDIO_URL)")
    env = label_studio.env()
    article = copy_article(sorted((DATA / "gold" / "en").glob("*.txt"))[0], tmp_path)
    subprocess.run([sys.executable, "-m", "workbench", "push", str(article), "--project",
                    project_name, "--no-predictions"], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=300)
    pid = studio.project_id(project_name)
    rows = read_jsonl(DATA / "train_en.jsonl")
    picked = [r for label in ("verifiable_fact", "not_a_claim", "attributed_quote")
              for r in [x for x in rows if x["label"] == label][:5]]
    base = save_model(train(picked, folds=0, warn=lambda m: None), tmp_path / "base.joblib")
    server = start_in_thread(create_app(tmp_path / "base.joblib", project=pid, studio=studio))
    try:
        subprocess.run([sys.executable, "-m", "workbench", "connect", "--project", project_name,
                        "--url", server.url], env=env, cwd=tmp_path, check=True,
                       capture_output=True, timeout=300)
        assert studio.project(pid)["model_version"] == base.model_version
        by_text = {t["data"]["text"]: t for t in studio.iter_tasks(pid)}

        page = browser_context.new_page()
        log_in(page, label_studio.url, label_studio.username, label_studio.password)
        page.goto(f"{label_studio.url}/projects/{pid}/data?labeling=1")

        # The model's choice is already selected for the sentence on screen.
        checked = page.locator("input[type=radio]:checked")
        checked.wait_for()
        shown = checked.get_attribute("name")
        sentence = page.locator(".wb-sentence").inner_text().strip()
        task = by_text[sentence]
        (pred,) = studio.predictions(task["id"])
        assert pred["model_version"] == base.model_version
        assert pred["result"][0]["value"]["choices"] == [shown]
        page.screenshot(path=str(tmp_path / "labelling.png"))
        if os.environ.get("WORKBENCH_UPDATE_DOCS"):  # refresh the README's picture on purpose only
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copyfile(tmp_path / "labelling.png", SCREENSHOT)

        # The annotator disagrees: a hotkey picks another label, Ctrl+Enter submits.
        answer = "Opinion" if shown != "Opinion" else "Attributed quote"
        page.locator(".wb-sentence").click()  # focus the task, not the address bar
        page.keyboard.press(HOTKEYS[answer])
        page.wait_for_selector(f"input[type=radio][name='{answer}']:checked")
        page.keyboard.press("Control+Enter")

        annotations = wait_until(lambda: studio.task(task["id"]).get("annotations"), 30,
                                 "the submitted annotation did not reach Label Studio")
        assert len(annotations) == 1, annotations
        assert annotations[0]["lead_time"] > 0, annotations  # timed by the editor in the page
        (result,) = annotations[0]["result"]
        assert result["from_name"] == "claim_type"
        assert result["value"]["choices"] == [answer]
        assert choice_to_label(answer) in {"opinion", "attributed_quote"}

        # The next task: pressing the key of the pre-selected label un-selects it (Label Studio
        # toggles); submitting nothing is refused with our message, and nothing is saved;
        # pressing the key again selects it back and Ctrl+Enter keeps the model's label.
        wait_until(lambda: page.locator(".wb-sentence").inner_text().strip() != sentence, 60,
                   "the label stream did not move to the next task")
        checked = page.locator("input[type=radio]:checked")
        checked.wait_for()
        kept = checked.get_attribute("name")
        second = by_text[page.locator(".wb-sentence").inner_text().strip()]
        page.locator(".wb-sentence").click()
        page.keyboard.press(HOTKEYS[kept])
        page.wait_for_selector("input[type=radio]:checked", state="detached")
        page.keyboard.press("Control+Enter")
        page.get_by_text("No label is selected").wait_for()
        page.screenshot(path=str(tmp_path / "nothing-selected.png"))
        assert not studio.task(second["id"]).get("annotations")
        page.get_by_role("button", name="OK").click()
        page.locator(".wb-sentence").click()
        page.keyboard.press(HOTKEYS[kept])
        page.wait_for_selector(f"input[type=radio][name='{kept}']:checked")
        page.keyboard.press("Control+Enter")
        annotations = wait_until(lambda: studio.task(second["id"]).get("annotations"), 30,
                                 "the second annotation did not reach Label Studio")
        assert [a["result"][0]["value"]["choices"] for a in annotations] == [[kept]]
    finally:
        server.stop()
