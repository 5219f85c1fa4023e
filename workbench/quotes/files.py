"""Attribution files: JSON Lines read and written, gold read from JSON Lines or PolNeAR brat.

Scoring needs the articles' texts (tokens are counted in them). A PolNeAR folder brings
its texts; a JSON Lines file brings the text of every span it holds, and spans are all
the scorer reads: the characters of each article are rebuilt from its spans' texts
(anything outside any span is never read), checked to agree wherever two spans overlap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.files import atomic_write
from workbench.core.jsonl import read_jsonl
from workbench.core.records import Article
from workbench.quotes.records import ROLES, Attribution


def write_attributions(found: Iterable[tuple[Article, list[Attribution]]], output) -> int:
    """Write attributions as JSON Lines (atomically, streaming); returns how many."""
    n = 0
    with atomic_write(Path(output)) as out:
        for article, attributions in found:
            for attribution in attributions:
                out.write(json.dumps(attribution.to_dict(article.text), ensure_ascii=False) + "\n")
                n += 1
    return n


def read_attributions(path: Path | str, texts: dict[str, list[str | None]] | None = None
                      ) -> list[Attribution]:
    """Attributions of a JSON Lines file; their spans' texts are added to ``texts``
    (article id -> characters) when given, a disagreement with what is there raised."""
    path = Path(path)
    attributions = []
    for n, record in enumerate(read_jsonl(path, "file of attributions"), 1):
        where = f"{path}:{n}"
        attribution = Attribution.from_dict(record, where=where)
        if texts is not None:
            _add_text(texts.setdefault(attribution.article_id, []), record, where)
        attributions.append(attribution)
    return attributions


def _add_text(chars: list[str | None], record: dict, where: str) -> None:
    for role in ROLES:
        for item in record.get(role) or []:
            shown = item.get("text")
            if not isinstance(shown, str) or len(shown) != item["end"] - item["start"]:
                raise InputError(f"{where}: a {role} span has no text of its length; write each "
                                 "span as {\"start\", \"end\", \"text\"} (as `workbench quotes` does)")
            if len(chars) < item["end"]:
                chars.extend([None] * (item["end"] - len(chars)))
            for offset, char in enumerate(shown, item["start"]):
                if chars[offset] is not None and chars[offset] != char:
                    raise InputError(f"{where}: {role} span {item['start']}-{item['end']} reads "
                                     f"{shown[:30]!r}, which another span of article "
                                     f"{record['article_id']!r} contradicts: two versions of the "
                                     "article's text; extract and annotate the same text")
                chars[offset] = char


def read_polnear(path: Path | str) -> tuple[list[Attribution], dict[str, str]]:
    """Gold attributions of a PolNeAR split folder and its articles' texts."""
    from workbench.quotes.brat import iter_polnear

    gold, texts = [], {}
    for article, attributions in iter_polnear(path):
        gold.extend(attributions)
        texts[article.article_id] = article.text
    return gold, texts


def score_files(gold_path: Path | str, predicted_path: Path | str) -> dict:
    """``evaluate.evaluate`` of a gold file (or PolNeAR split folder) against a predicted file."""
    from workbench.quotes.evaluate import evaluate

    if Path(gold_path).is_dir():
        gold, texts = read_polnear(gold_path)
        predicted = read_attributions(predicted_path)
        unknown = sorted({a.article_id for a in predicted} - set(texts))
        if unknown:
            raise InputError(f"{predicted_path}: article {unknown[0]!r} is not in the gold "
                             f"{gold_path}; extract from the same articles")
    else:
        pieces: dict[str, list[str | None]] = {}
        gold = read_attributions(gold_path, pieces)
        predicted = read_attributions(predicted_path, pieces)
        texts = {k: "".join(c if c is not None else " " for c in v) for k, v in pieces.items()}
    return evaluate(gold, predicted, texts)


def format_scores(scores: dict) -> str:
    """The per-role report as aligned text lines."""
    lines = [f"{'role':<8} {'exact P':>8} {'R':>6} {'F1':>6}   {'token P':>8} {'R':>6} {'F1':>6}"]

    def show(value):
        return "     -" if value is None else f"{value:6.3f}"

    for role in ROLES:
        e, t = scores[role]["exact"], scores[role]["token"]
        lines.append(f"{role:<8} {show(e['p']):>8} {show(e['r'])} {show(e['f1'])}   "
                     f"{show(t['p']):>8} {show(t['r'])} {show(t['f1'])}")
    speaker, counts = scores["speaker"], scores["attributions"]
    lines.append(f"speaker accuracy {show(speaker['accuracy']).strip()} "
                 f"({speaker['right']}/{speaker['total']} gold attributions with a speaker)")
    lines.append(f"attributions: {counts['gold']} gold, {counts['predicted']} predicted, "
                 f"{counts['matched']} matched")
    return "\n".join(lines)
