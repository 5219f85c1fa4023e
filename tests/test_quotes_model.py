"""The quote span model: train, save, load, predict; kind refusals; the commands' bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_main
from workbench.core.errors import ModelError
from workbench.quotes.model import load_quote_model, manifest_path

ARTICLES = {
    "fr-marche": ("Le marché couvert rouvre\n\nLa maire Sophie Arnal a annoncé que le marché "
                  "rouvrirait samedi. « Les travaux sont finis », a-t-elle ajouté.\n"),
    "fr-velo": ("Pistes cyclables\n\nSelon l’association Vélo Ville, les trajets ont doublé. "
                "Le président Marc Tessier estime que la ville doit investir davantage.\n"),
    "en-bridge": ("Bridge closes\n\nMayor Tom Baker said that the bridge would close in May. "
                  "\u201cIt is unsafe,\u201d he told reporters.\n"),
}
# (article, where to look from, source, cue parts, content parts): our own gold for the
# articles above
GOLD = [
    ("fr-marche", "La maire", "La maire Sophie Arnal", ["a annoncé"],
     ["que le marché rouvrirait samedi"]),
    ("fr-marche", "», a-t-elle", "elle", ["a", "ajouté"], ["« Les travaux sont finis »"]),
    ("fr-velo", "Selon", "l’association Vélo Ville", ["Selon"], ["les trajets ont doublé"]),
    ("fr-velo", "Le président", "Le président Marc Tessier", ["estime"],
     ["que la ville doit investir davantage"]),
    ("en-bridge", "Mayor", "Mayor Tom Baker", ["said"], ["that the bridge would close in May"]),
    ("en-bridge", ",\u201d he", "he", ["told"], ["\u201cIt is unsafe,\u201d"]),
]


def span(text: str, piece: str, after: int = 0) -> dict:
    start = text.index(piece, after)
    return {"start": start, "end": start + len(piece), "text": piece}


def write_training(folder: Path) -> Path:
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = []
    for name, anchor, source, cues, contents in GOLD:
        text = ARTICLES[name]
        content = [span(text, c) for c in contents]
        cue_spans, after = [], text.index(anchor)
        for cue in cues:  # "a" ... "ajouté": each part after the one before
            cue_spans.append(span(text, cue, after))
            after = cue_spans[-1]["end"]
        lines.append({"article_id": name, "source": [span(text, source, text.index(anchor))],
                      "cue": cue_spans, "content": content})
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return gold


def test_train_predict_and_evaluate_round_trip(workdir, capsys):
    gold = write_training(workdir)
    code, out, err = run_main(["train-quotes", str(gold), "--articles", str(workdir / "*.txt"),
                               "-o", "quotes.joblib", "--iterations", "60"], capsys)
    assert code == 0, err
    assert "3 articles, 6 attributions" in out
    manifest = json.loads(manifest_path(workdir / "quotes.joblib").read_text())
    assert manifest["kind"] == "quotes" and manifest["model_version"].startswith("quotes-crf-")
    model = load_quote_model(workdir / "quotes.joblib")
    assert model.model_version == manifest["model_version"]
    code, out, err = run_main(["quotes", str(workdir / "*.txt"), "--model", "quotes.joblib",
                               "-o", "pred.jsonl"], capsys)
    assert code == 0, err
    code, out, err = run_main(["evaluate-quotes", str(gold), "pred.jsonl", "--json"], capsys)
    assert code == 0 and out.count("\n") == 1
    scores = json.loads(out)
    # the training articles themselves: a CRF fits them
    assert scores["cue"]["token"]["f1"] >= 0.9
    assert scores["content"]["token"]["f1"] >= 0.9
    assert scores["attributions"]["matched"] == len(GOLD)
    code, out, err = run_main(["evaluate-quotes", str(gold), "pred.jsonl"], capsys)
    assert code == 0 and "speaker accuracy" in out and out.startswith("role")


def test_tampered_model_is_refused(workdir):
    gold = write_training(workdir)
    from workbench.quotes.model import train_quote_model

    train_quote_model(gold, workdir / "q.crf", articles=[str(workdir / "*.txt")], iterations=5)
    with open(workdir / "q.crf", "ab") as f:
        f.write(b"x")
    with pytest.raises(ModelError, match="sha256"):
        load_quote_model(workdir / "q.crf")


def test_quote_model_refused_by_claims_and_claim_model_by_quotes(workdir, capsys):
    gold = write_training(workdir)
    code, _, err = run_main(["train-quotes", str(gold), "--articles", str(workdir / "*.txt"),
                             "-o", "quotes.joblib", "--iterations", "5"], capsys)
    assert code == 0, err
    rows = [{"text": f"The council voted {k} budgets.", "label": "fact", "article_id": f"a{k}"}
            for k in range(4)] + \
        [{"text": f"What a shameful idea number {k}.", "label": "opinion", "article_id": f"a{k}"}
         for k in range(4)]
    (workdir / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, _, err = run_main(["train", "labels.jsonl", "-o", "claims.joblib",
                             "--no-learning-curve"], capsys)
    assert code == 0, err
    code, out, err = run_main(["evaluate", "--model", "quotes.joblib", "labels.jsonl"], capsys)
    assert code != 0 and err.count("\n") == 1 and "a quotes model, not a claim model" in err
    code, out, err = run_main(["quotes", "fr-velo.txt", "--model", "claims.joblib"], capsys)
    assert code != 0 and err.count("\n") == 1 and "a claims model, not a quote model" in err


def test_bad_inputs_give_one_line(workdir, capsys):
    (workdir / "a.txt").write_text("Titre\n\nIl a dit que tout allait bien.\n", encoding="utf-8")
    code, out, err = run_main(["quotes", "a.txt", "missing.txt"], capsys)
    assert code == 2 and "missing.txt" in err and err.count("error:") == 1
    assert json.loads(out.splitlines()[0])["cue"][0]["text"] == "a dit"
    (workdir / "bad.jsonl").write_text('{"article_id": "a", "source": null}\n{oops\n')
    code, out, err = run_main(["evaluate-quotes", "bad.jsonl", "bad.jsonl"], capsys)
    assert code == 2 and "bad.jsonl:2" in err and err.count("\n") == 1
    (workdir / "bad.jsonl").write_text('{"article_id": "a", "source": null}\n')
    code, out, err = run_main(["evaluate-quotes", "bad.jsonl", "bad.jsonl"], capsys)
    assert code == 2 and "bad.jsonl:1: missing cue, content" in err and err.count("\n") == 1
    code, out, err = run_main(["train-quotes", "nothing.jsonl", "-o", "m.crf"], capsys)
    assert code == 2 and "nothing.jsonl" in err and err.count("\n") == 1
    write_training(workdir)
    code, out, err = run_main(["train-quotes", "gold.jsonl", "-o", "m.crf"], capsys)
    assert code == 2 and "--articles" in err and err.count("\n") == 1
    code, out, err = run_main(["quotes", "a.txt", "--model", "absent.crf"], capsys)
    assert code != 0 and "absent.crf" in err and err.count("\n") == 1


def test_decode_joins_a_cue_split_by_its_source_only():
    from workbench.quotes.tagging import decode

    # « Fini », a - t - elle ajouté .  -> one cue in two runs around the source
    tags = ["B-C", "I-C", "I-C", "O", "B-V", "O", "O", "O", "B-S", "B-V", "O"]
    found = decode([(0, 11)], tags, [(0, 11)])
    assert [(f.cue, f.source) for f in found] == [([(4, 5), (9, 10)], (8, 9))]
    # He said , adding that it was over .  -> "said" and "adding" stay two cues
    tags = ["B-S", "B-V", "O", "B-V", "B-C", "I-C", "I-C", "I-C", "O"]
    found = decode([(0, 9)], tags, [(0, 9)])
    assert [f.cue for f in found] == [[(3, 4)]]
    assert found[0].content == [(4, 8)]


def test_decode_gives_sources_to_cues_with_content_and_shares_one_before():
    from workbench.quotes.tagging import decode

    # Kim said it rained , adding that roads flooded .  -> both attributions have Kim
    tags = ["B-S", "B-V", "B-C", "I-C", "O", "B-V", "B-C", "I-C", "I-C", "O"]
    found = decode([(0, 10)], tags, [(0, 10)])
    assert [(f.source, f.cue, f.content) for f in found] == [
        ((0, 1), [(1, 2)], [(2, 4)]), ((0, 1), [(5, 6)], [(6, 9)])]
    # Lee , asked , said rain .  -> "asked" has no content: the source goes to "said"
    tags = ["B-S", "O", "B-V", "O", "B-V", "B-C", "O"]
    found = decode([(0, 7)], tags, [(0, 7)])
    assert [(f.source, f.cue, f.content) for f in found] == [((0, 1), [(4, 5)], [(5, 6)])]
