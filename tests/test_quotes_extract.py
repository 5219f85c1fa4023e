"""Extraction routes each article by language: a span model reads only the languages it was
trained on, the cold-start rules read the rest."""

from __future__ import annotations

import json

from workbench.core.records import Article
from workbench.quotes.extract import extract, model_reads
from workbench.quotes.model import load_quote_model, manifest_path, train_quote_model

ENGLISH = {
    "en-ferry": ("Ferry service cut\n\nHarbour director Alan Pike said that the night ferry "
                 "would stop running in March because the old boat needs repairs. "
                 "\u201cWe have no spare vessel,\u201d he told the council on Tuesday.\n"),
    "en-library": ("Library hours\n\nCouncillor Jane Moss announced that the central library "
                   "would open on Sundays from next month. According to the staff union, "
                   "the plan needs two more librarians.\n"),
}
FRENCH = ("Le port réduit ses liaisons\n\nLe directeur du port, Alain Picard, a déclaré que le "
          "bac de nuit cesserait de circuler en mars. « Nous n’avons pas de bateau de "
          "rechange », a-t-il expliqué mardi devant le conseil municipal.\n")


def _span(text: str, piece: str) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def _train(folder):
    gold = [("en-ferry", "Harbour director Alan Pike", "said",
             "that the night ferry would stop running in March because the old boat needs repairs"),
            ("en-library", "Councillor Jane Moss", "announced",
             "that the central library would open on Sundays from next month")]
    lines = []
    for name, source, cue, content in gold:
        text = ENGLISH[name]
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        lines.append({"article_id": name, "source": [_span(text, source)],
                      "cue": [_span(text, cue)], "content": [_span(text, content)]})
    data = folder / "gold.jsonl"
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return train_quote_model(data, folder / "quotes.crf", articles=[str(folder / "*.txt")],
                             iterations=20)


class _Counting:
    """A trained model that counts the articles it is asked to read."""

    def __init__(self, model):
        self.model, self.manifest, self.calls = model, model.manifest, 0

    def find(self, reading):
        self.calls += 1
        return self.model.find(reading)


def test_model_records_its_languages_and_reads_only_those(tmp_path):
    _train(tmp_path)
    manifest = json.loads(manifest_path(tmp_path / "quotes.crf").read_text(encoding="utf-8"))
    assert manifest["training"]["languages"] == ["en"]
    model = _Counting(load_quote_model(tmp_path / "quotes.crf"))
    french = Article("fr-port", FRENCH, lang="fr")
    by_rules = extract(french)
    assert extract(french, model) == by_rules and model.calls == 0
    assert any(a.speaker == "Alain Picard" for a in by_rules)
    extract(Article("en-ferry", ENGLISH["en-ferry"], lang="en"), model)
    assert model.calls == 1


def test_model_without_recorded_languages_or_article_without_language_keeps_the_model():
    class Old:
        manifest = {"training": {"articles": 3}}

    class English:
        manifest = {"training": {"languages": ["en"]}}

    assert model_reads(Old(), "fr")
    assert model_reads(English(), "")
    assert model_reads(English(), "en")
    assert not model_reads(English(), "fr")
