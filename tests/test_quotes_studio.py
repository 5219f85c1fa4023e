"""Quote attribution in a real Label Studio: push --task quotes pre-draws regions and
relations; an annotator's correction comes back through pull --task quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_workbench
from workbench.pipeline.quotes import FROM_NAME, TO_NAME, attributions_from_result, task_result
from workbench.quotes.extract import extract
from workbench.core.records import Article

ARTICLE = """Le port rouvre ses quais

Le préfet Marc Olivier a visité le port lundi. « Les quais seront rénovés avant l’été », a-t-il promis.

Selon la capitainerie, le trafic a baissé de 12 % depuis janvier. La maire Sophie Arnal estime que la rénovation « arrive trop tard ».
"""


def write_article(folder: Path) -> Path:
    path = folder / "fr-port-quais.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_result_round_trip_with_relations_and_emoji():
    text = "Un mot 🙂 d’abord. « Nous tiendrons, a-t-elle assuré, même si l’hiver est long. »"
    article = Article("a", text, lang="fr")
    attributions = extract(article)
    result = task_result(attributions, text)
    regions = [r for r in result if r["type"] == "labels"]
    relations = [r for r in result if r["type"] == "relation"]
    assert {r["value"]["labels"][0] for r in regions} == {"Source", "Cue", "Content"}
    # two content spans, each linked from the source and the two cue spans
    assert len(relations) == 3 * 2
    # Label Studio counts UTF-16 units: one more after the emoji
    first = min(regions, key=lambda r: r["value"]["start"])
    assert first["value"]["start"] == attributions[0].content[0].start + 1
    back = attributions_from_result(result, text, "a")
    assert [(a.source, a.cue, a.content) for a in back] == \
        [(a.source, a.cue, a.content) for a in attributions]


@pytest.mark.integration
def test_push_and_pull_quotes(label_studio, studio, project_name, tmp_path):
    article = write_article(tmp_path)
    env = label_studio.env()
    done = run_workbench(["push", "--task", "quotes", str(article), "--project", project_name],
                         env, tmp_path)
    assert "1 article tasks created" in done.stdout
    pid = studio.project_id(project_name)
    [task] = list(studio.iter_tasks(pid))
    predictions = studio.predictions(task["id"])
    assert len(predictions) == 1
    prediction = predictions[0]
    assert prediction["model_version"] == "quote-rules-1"
    assert prediction["score"] == pytest.approx(0.5)
    regions = [r for r in prediction["result"] if r["type"] == "labels"]
    relations = [r for r in prediction["result"] if r["type"] == "relation"]
    assert all(r["from_name"] == FROM_NAME and r["to_name"] == TO_NAME for r in regions)
    text = task["data"]["text"]
    for region in regions:
        value = region["value"]
        assert text[value["start"]:value["end"]] == value["text"]
    ids = {r["id"] for r in regions}
    assert relations and all(r["from_id"] in ids and r["to_id"] in ids for r in relations)
    cues = {r["value"]["text"] for r in regions if r["value"]["labels"] == ["Cue"]}
    assert {"a", "promis", "Selon", "estime"} <= cues
    assert studio.project(pid)["model_version"] == "quote-rules-1"

    # re-pushing changes nothing
    again = run_workbench(["push", "--task", "quotes", str(article), "--project", project_name],
                          env, tmp_path)
    assert "0 article tasks created, 1 already present" in again.stdout

    # an annotator keeps the prediction but drops the "selon" attribution and widens a content
    dropped = {r["id"] for r in regions
               if r["value"]["labels"] == ["Cue"] and r["value"]["text"] == "Selon"}
    kept = [r for r in prediction["result"] if r.get("id") not in dropped
            and r.get("from_id") not in dropped and r.get("to_id") not in dropped]
    correction = json.loads(json.dumps(kept))
    for region in correction:
        if region["type"] == "labels" and region["value"]["text"] == "« arrive trop tard »":
            start = text.index("que la rénovation")
            region["value"].update(start=start, text=text[start:region["value"]["end"]])
    studio.create_annotation(task["id"], correction)
    output = tmp_path / "quotes.jsonl"
    pulled = run_workbench(["pull", "--task", "quotes", "--project", project_name,
                            "-o", str(output)], env, tmp_path)
    assert "from 1 annotated articles" in pulled.stdout
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    cues = [" ".join(s["text"] for s in line["cue"]) for line in lines]
    assert "Selon" not in cues
    assert "a promis" in cues and "estime" in cues
    estime = lines[cues.index("estime")]
    assert estime["content"][0]["text"] == "que la rénovation « arrive trop tard »"
    assert estime["source"][0]["text"] == "La maire Sophie Arnal"
    assert all(line["article_id"] == "fr-port-quais" for line in lines)
