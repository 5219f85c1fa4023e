"""PolNeAR's brat files: spans, events, malformed lines, the split reader and its counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.core.errors import InputError
from workbench.quotes.brat import iter_polnear, parse_ann, polnear_stats, read_ann
from workbench.quotes.records import TOKEN, Span

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"

TEXT = ('We mocked the plan. "It is dead,"\n\nhe said, "and buried." '
        'Voters want change.\nThey said so.')


def _t(ident: str, kind: str, *pieces: str) -> str:
    """A T line for pieces of TEXT (each found once), joined the way brat joins them."""
    spans = [(TEXT.index(p), TEXT.index(p) + len(p)) for p in pieces]
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{ident}\t{kind} {offsets}\t" + " ".join(TEXT[s:e] for s, e in spans)


ANN = "\n".join([
    _t("T1", "Source", "We"), _t("T2", "Cue", "mocked"), _t("T3", "Content", "the plan"),
    _t("T4", "Attribution", "mocked"),
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    # a content broken by the cue, whose first piece crosses a blank line
    _t("T5", "Content", 'It is dead,"\n\nhe', "and buried."),
    _t("T6", "Cue", "said"), _t("T7", "Attribution", "said"),
    "E2\tAttribution-no-source:T7 Cue:T6 Content:T5",
    _t("T8", "Source", "Voters"), _t("T9", "Cue", "want"), _t("T10", "Content", "change"),
    _t("T11", "Content", "so"), _t("T12", "Attribution", "want"),
    "#1\tAnnotatorNotes T10\tis 'so' part of it?",
    "E3\tAttribution:T12 Source:T8 Cue:T9 Content:T10 Content2:T11",
    _t("T13", "Cue", "They said"), _t("T14", "Attribution", "They said"),
    "E4\tAttribution:T14 Cue:T13",   # no content: not an attribution
    _t("T15", "Discuss", "Voters want"),
    "",
])


def test_a_file_becomes_attributions_with_discontinuous_and_missing_roles():
    incomplete = []
    found = parse_ann(ANN, "art", TEXT, incomplete=incomplete)
    assert len(found) == 3 and incomplete == [ANN.split("\n").index("E4\tAttribution:T14 Cue:T13") + 1]
    first, second, third = found
    assert [s.text(TEXT) for s in first.source] == ["We"]
    assert [s.text(TEXT) for s in first.cue] == ["mocked"]
    assert second.source is None
    assert [s.text(TEXT) for s in second.content] == ['It is dead,"\n\nhe', "and buried."]
    # a repeated role (Content2) adds its spans to the role
    assert [s.text(TEXT) for s in third.content] == ["change", "so"]
    assert {a.article_id for a in found} == {"art"}
    assert all(a.speaker is None and a.direct is None for a in found)
    # the text is optional: the same spans come from the offsets alone
    assert parse_ann(ANN, "art") == found


@pytest.mark.parametrize("bad, message", [
    ("T99\tCue 4 2\tx", "empty or reversed span"),
    ("T99\tCue four 9\tmocked", "malformed span line"),
    ("T99\tCue 3 9", "malformed span line"),
    ("T99\tCue 3 9\tmock", "has 4 characters where its offsets"),
    ("T99\tCue 0 6\tmocked", "reads 'We moc' in the article"),
    ("T99\tCue 3 900\t" + "x" * 897, "ends after the article"),
    ("T2\tCue 3 9\tmocked", "T2 is defined twice"),
    ("E9\tAttribution:T4 Content:T3 Cue:T77", "refers to T77"),
    ("E9\tAttribution:T4 Content T3", "malformed attribution line"),
    ("E9\t", "malformed attribution line"),
    ("E9\tAttribution:T4 Speaker:T1", "unknown role 'Speaker'"),
    ("E9\tQuote:T4 Cue:T2", "not an Attribution"),
    ("Hello\tthere", "not a brat annotation line"),
])
def test_a_malformed_line_is_one_error_naming_the_file_and_line(tmp_path, bad, message):
    path = tmp_path / "art_ab12.ann"
    lines = ANN.split("\n")
    lines.insert(5, bad)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read_ann(path, TEXT)
    assert str(caught.value).startswith(f"{path}:6: ")


def test_read_ann_names_the_article_after_the_file_less_its_annotator(tmp_path):
    path = tmp_path / "wash-post_2016-06-01_voters_4b22.ann"
    path.write_text(ANN, encoding="utf-8")
    assert {a.article_id for a in read_ann(path)} == {"wash-post_2016-06-01_voters"}


def _split(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        target = root / ("text" if name.endswith(".txt") else "attributions") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return root


def test_iter_polnear_reads_one_annotator_per_article_chosen_by_sorted_id(tmp_path):
    one_quote = "\n".join(ANN.split("\n")[:5])
    split = _split(tmp_path / "dev", {"b_x.txt": TEXT, "a.txt": TEXT, "a_ff01.ann": ANN,
                                      "a_0abc.ann": one_quote, "b_x_4e07.ann": ANN})
    read = list(iter_polnear(split))
    assert [article.article_id for article, _ in read] == ["a", "b_x"]
    (a, a_quotes), (b, b_quotes) = read
    assert a.meta["annotation_file"].endswith("a_0abc.ann") and a.meta["annotators"] == ["0abc", "ff01"]
    assert len(a_quotes) == 1 and len(b_quotes) == 3
    assert a_quotes[0].cue == (Span(3, 9),) and a.text == TEXT
    assert list(iter_polnear(split)) == read
    stats = polnear_stats(split)
    assert stats["articles"] == 2 and stats["attributions"] == 4
    assert stats["articles_with_several_annotators"] == 1
    assert stats["incomplete_relations_skipped"] == 1
    assert stats["with_source"] == 3 and stats["discontinuous_content"] == 2
    # source tokens: We, We, Voters = 3 over 3 attributions; cues: mocked x2, said, want = 4
    assert stats["tokens"]["source"] == {"total": 3, "per_attribution": 1.0}
    assert stats["tokens"]["cue"] == {"total": 4, "per_attribution": 1.0}


def test_iter_polnear_refuses_an_article_without_annotations_and_an_orphan_file(tmp_path):
    with pytest.raises(InputError, match="no annotation file"):
        list(iter_polnear(_split(tmp_path / "one", {"a.txt": TEXT})))
    with pytest.raises(InputError, match="no article text/c.txt"):
        list(iter_polnear(_split(tmp_path / "two", {"a.txt": TEXT, "a_01.ann": ANN,
                                                    "c_01.ann": ANN})))
    with pytest.raises(InputError, match="no text/"):
        list(iter_polnear(tmp_path / "none"))


def _independent_counts(split: Path) -> dict:
    """The same counts by plain string handling of the files, without the reader."""
    counts = {"articles": 0, "several": 0, "attributions": 0, "incomplete": 0, "source": 0,
              "discontinuous": 0, "content_tokens": 0}
    for text_path in sorted((split / "text").glob("*.txt")):
        text = text_path.read_text(encoding="utf-8")
        files = sorted(p for p in (split / "attributions").glob(text_path.stem + "_*.ann")
                       if "_" not in p.stem[len(text_path.stem) + 1:])
        counts["articles"] += 1
        counts["several"] += len(files) > 1
        offsets = {}
        lines = files[0].read_text(encoding="utf-8").splitlines()
        for line in lines:
            fields = line.split("\t")
            if line.startswith("T") and len(fields) > 2:
                offsets[fields[0]] = [tuple(map(int, pair.split()))
                                      for pair in fields[1].split(" ", 1)[1].split(";")]
        for line in lines:
            if not line.startswith("E"):
                continue
            roles = [arg.split(":") for arg in line.split("\t")[1].split()[1:]]
            names = [name.rstrip("0123456789") for name, _ in roles]
            if "Cue" not in names or "Content" not in names:
                counts["incomplete"] += 1
                continue
            counts["attributions"] += 1
            counts["source"] += "Source" in names
            pieces = sorted(p for name, ident in roles if name.startswith("Content")
                            for p in offsets[ident])
            gaps = sum(1 for (_, end), (start, _) in zip(pieces, pieces[1:]) if start > end)
            counts["discontinuous"] += gaps > 0
            counts["content_tokens"] += sum(len(TOKEN.findall(text[s:e])) for s, e in pieces)
    return counts


@pytest.mark.skipif(not (POLNEAR / "dev").is_dir(), reason="PolNeAR is not in ../shared/data")
def test_polnear_dev_counts_agree_with_an_independent_count():
    stats, counts = polnear_stats(POLNEAR / "dev"), _independent_counts(POLNEAR / "dev")
    assert stats["articles"] == counts["articles"] == 84
    assert stats["articles_with_several_annotators"] == counts["several"]
    assert stats["attributions"] == counts["attributions"]
    assert stats["incomplete_relations_skipped"] == counts["incomplete"]
    assert stats["with_source"] == counts["source"]
    assert stats["discontinuous_content"] == counts["discontinuous"]
    assert stats["tokens"]["content"]["total"] == counts["content_tokens"]
    assert 2000 < stats["attributions"] < 2500  # ~24k in 1,008 articles: ~26 per article
