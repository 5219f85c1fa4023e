"""Compare sentence segmenters on our gold data: boundary F1 (FR, EN, seed) and speed.

Usage:
    python scripts/compare_segmenters.py            # print the table
    python scripts/compare_segmenters.py --write    # also write benchmarks/segmenters.md

Every off-the-shelf candidate is run on each non-empty line of the article
separately (so line breaks count as boundaries for all of them, as they do in
the workbench); "workbench" is workbench.text.segment (sentencex + structure roles +
repair pass). Boundary F1 is defined as in tests/test_segment_gold.py: end
offsets of all sentences but the last, pooled over the articles of a set.
Candidates that are not installed are listed as such.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.records import Article  # noqa: E402
from workbench.text.segment import segment_article  # noqa: E402

GOLD_SETS = {
    "fr": ROOT / "tests" / "data" / "gold" / "fr",
    "en": ROOT / "tests" / "data" / "gold" / "en",
    "seed": ROOT.parent / "shared" / "seed",
}
SPEED_BYTES = 1_000_000
_LINES = re.compile(r"[^\r\n]+")
_PLAIN_RULE = re.compile(r"(?<=[.!?…])[\"”»)]*\s+(?=[\"“«(]?[A-ZÀ-Þ])")


def load_set(directory: Path) -> list[tuple[str, str, list[dict]]]:
    """(name, text, gold sentences) for every gold pair in a directory."""
    items = []
    for gold in sorted(directory.glob("*.gold.jsonl")):
        text_path = gold.with_name(gold.name[: -len(".gold.jsonl")] + ".txt")
        if text_path.exists():
            sentences = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
            items.append((text_path.stem, text_path.read_text(encoding="utf-8"), sentences))
    return items


def per_line(split_line):
    """A whole-text splitter from a line splitter: offsets found by searching forward."""
    def split(text: str, lang: str) -> list[tuple[int, int]]:
        spans = []
        for line in _LINES.finditer(text):
            cursor = line.start()
            for piece in split_line(line.group(), lang):
                piece = piece.strip()
                if not piece:
                    continue
                found = text.find(piece, cursor, line.end())
                if found < 0:
                    continue  # the segmenter rewrote the text; the boundary is lost
                spans.append((found, found + len(piece)))
                cursor = found + len(piece)
        return spans
    return split


def candidates() -> dict:
    """Name -> (splitter, version or reason it is missing)."""
    found = {}

    def workbench(text, lang):
        return [(s.start, s.end) for s in segment_article(Article("x", text, lang=lang))]
    found["workbench (sentencex + repairs)"] = (workbench, "this repo")
    found["plain regex rule"] = (per_line(lambda line, lang: _PLAIN_RULE.split(line)), "stdlib re")
    try:
        import sentencex
        found["sentencex"] = (per_line(lambda line, lang: list(sentencex.segment(lang, line))),
                              _version("sentencex"))
    except ImportError:
        found["sentencex"] = (None, "not installed")
    try:
        import pysbd
        segmenters = {}

        def pysbd_line(line, lang):
            seg = segmenters.setdefault(lang, pysbd.Segmenter(language=lang, clean=False))
            return seg.segment(line)
        found["pysbd"] = (per_line(pysbd_line), _version("pysbd"))
    except ImportError:
        found["pysbd"] = (None, "not installed")
    try:
        import blingfire
        found["blingfire"] = (per_line(lambda line, lang: blingfire.text_to_sentences(line).split("\n")),
                              _version("blingfire"))
    except ImportError:
        found["blingfire"] = (None, "not installed")
    try:
        from syntok import segmenter as syntok_segmenter

        def syntok_line(line, lang):
            return ["".join(t.spacing + t.value for t in sentence).strip()
                    for paragraph in syntok_segmenter.analyze(line) for sentence in paragraph]
        found["syntok"] = (per_line(syntok_line), _version("syntok"))
    except ImportError:
        found["syntok"] = (None, "not installed")
    return found


def _version(name: str) -> str:
    from importlib.metadata import version
    return version(name)


def boundaries(spans) -> set[int]:
    """End offsets of all sentences but the last."""
    return {end for _, end in sorted(spans)[:-1]}


def f1(split, items, lang: str) -> tuple[float, int]:
    """Pooled boundary F1 and the number of exactly matched articles."""
    tp = fp = fn = exact = 0
    for _, text, gold in items:
        predicted = split(text, lang)
        gold_spans = [(g["start"], g["end"]) for g in gold]
        g, p = boundaries(gold_spans), boundaries(predicted)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        exact += sorted(predicted) == sorted(gold_spans)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0), exact


def speed(split, items) -> float:
    """MB of UTF-8 text segmented per second on one core."""
    corpus = [(text, "fr" if name.startswith("fr") else "en") for name, text, _ in items]
    done, started = 0, time.perf_counter()
    while done < SPEED_BYTES:
        for text, lang in corpus:
            split(text, lang)
            done += len(text.encode("utf-8"))
    return done / 1e6 / (time.perf_counter() - started)


def report() -> str:
    """The comparison as a Markdown table."""
    sets = {name: load_set(path) for name, path in GOLD_SETS.items()}
    sizes = ", ".join(f"{name}: {len(items)} articles / {sum(len(g) for _, _, g in items)} sentences"
                      for name, items in sets.items())
    lines = ["# Sentence segmenters compared on our gold data", "",
             f"Gold: {sizes}.", "",
             "Boundary F1 as in tests/test_segment_gold.py (end offsets of all sentences but the "
             "last, pooled). Off-the-shelf segmenters run line by line; `exact` = articles "
             "segmented exactly as gold. Speed: MB of UTF-8 per second, one core, on the gold "
             "articles repeated to 1 MB. Produced by `python scripts/compare_segmenters.py --write`.", "",
             "| segmenter | version | F1 fr | F1 en | F1 seed | exact fr | exact en | exact seed | MB/s |",
             "|---|---|---|---|---|---|---|---|---|"]
    all_items = sets["fr"] + sets["en"]
    for name, (split, version) in candidates().items():
        if split is None:
            lines.append(f"| {name} | {version} | | | | | | | |")
            continue
        cells = []
        exacts = []
        for set_name, items in sets.items():
            score, exact = f1(split, items, "en" if set_name == "en" else "fr")
            cells.append(f"{score:.4f}" if items else "n/a")
            exacts.append(f"{exact}/{len(items)}")
        lines.append(f"| {name} | {version} | {' | '.join(cells)} | {' | '.join(exacts)} | "
                     f"{speed(split, all_items):.2f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write benchmarks/segmenters.md")
    args = parser.parse_args(argv)
    text = report()
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "segmenters.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
