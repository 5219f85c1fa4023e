"""The store of already-checked claims: files in, SQLite on disk, matching, and bad input."""

import json
from pathlib import Path

import pytest

from conftest import run_main
from workbench.checked.matching import ClaimMatcher, normalise, open_matcher
from workbench.checked.store import CheckedStore, read_checked_file
from workbench.core.errors import ConfigError, InputError

DATA = Path(__file__).parent / "data" / "checked"


def test_number_forms_are_normalised_alike():
    assert normalise("45 000 emplois") == normalise("45,000 emplois") == normalise("45k emplois")
    assert normalise("Élevé de 10 %") == "eleve de 10 pct"


def test_jsonl_and_csv_files_are_read_with_their_columns():
    claims = read_checked_file(DATA / "claims.jsonl")
    assert len(claims) == sum(1 for line in open(DATA / "claims.jsonl", encoding="utf-8") if line.strip())
    first = json.loads((DATA / "claims.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (claims[0].text, claims[0].verdict, claims[0].url, claims[0].date) == \
        (first["text"], first["verdict"], first["url"], first["date"])
    from_csv = read_checked_file(DATA / "sample_store.csv")
    assert len(from_csv) == 20 and all(c.text and c.url.startswith("https://") for c in from_csv)
    assert {"fr", "en"} <= {c.lang for c in from_csv} <= {"fr", "en", ""}


def test_missing_column_is_one_line_with_file_and_line(tmp_path):
    bad = tmp_path / "checks.jsonl"
    bad.write_text(json.dumps({"text": "A", "verdict": "false", "url": "u", "date": "d"}) + "\n\n"
                   + json.dumps({"text": "B", "verdict": "true", "date": "d"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"checks\.jsonl:3: missing column 'url'"):
        read_checked_file(bad)
    csv_file = tmp_path / "checks.csv"
    csv_file.write_text("text,verdict,date\nA,false,2024-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"checks\.csv:1: missing column 'url' in the header"):
        read_checked_file(csv_file)


def test_the_store_keeps_each_claim_once_on_disk(tmp_path):
    store = CheckedStore(tmp_path / "sub" / "checked.sqlite")
    assert len(store) == 0 and store.claims() == []
    claims = read_checked_file(DATA / "sample_store.csv")
    assert store.add(claims) == 20
    assert store.add(claims) == 0  # the same file again changes nothing
    again = CheckedStore(tmp_path / "sub" / "checked.sqlite")
    assert [c.text for c in again.claims()] == [c.text for c in claims]


def test_an_empty_store_is_refused_in_one_line(tmp_path):
    with pytest.raises(ConfigError, match="store .* is empty: add claims with `workbench checked add"):
        open_matcher(CheckedStore(tmp_path / "none.sqlite"), "tfidf")


def test_a_restated_claim_is_found_first():
    stored = read_checked_file(DATA / "claims.jsonl")
    matcher = ClaimMatcher(stored)
    query = "En 2024, le SMIC a progressé de 10 %."
    best = next(matcher.best([query]))
    assert best.claim.text == "Le SMIC a augmenté de 10 % en 2024."
    top = matcher.top(query, 5)
    assert top[0].claim == best.claim and len(top) == 5
    assert [m.similarity for m in top] == sorted((m.similarity for m in top), reverse=True)
    assert 0 < top[-1].similarity <= best.similarity <= 1


def test_checked_add_and_match_commands(workdir, capsys):
    code, out, err = run_main(["checked", "add", str(DATA / "sample_store.csv")], capsys)
    assert code == 0 and out.startswith("20 checked claims added")
    assert (workdir / ".workbench" / "checked.sqlite").is_file()
    code, out, _ = run_main(["checked", "match", "Le SMIC a augmenté de dix pour cent en 2024",
                             "--method", "tfidf", "--json", "-k", "2"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 2 and rows[0]["text"] == "Le SMIC a augmenté de 10 % en 2024."
    assert rows[0]["verdict"] == "misleading" and rows[0]["method"] == "tfidf"


def test_preannotate_to_a_file_puts_the_matches_in_the_tasks_as_push_does(workdir, capsys):
    store = workdir / "store.sqlite"
    assert run_main(["checked", "add", str(DATA / "sample_store.csv"), "--store", str(store)],
                    capsys)[0] == 0
    (workdir / "budget.txt").write_text(
        "Le budget de la ville\n\nEn 2024, le SMIC a progressé de 10 %, selon un élu.\n"
        "La séance a duré trois heures.\n", encoding="utf-8")
    code, _, err = run_main(["preannotate", "budget.txt", "-o", "tasks.json", "--jobs", "1",
                             "--checked-store", str(store), "--checked-method", "tfidf"], capsys)
    assert code == 0, err
    tasks = {t["data"]["text"]: t["data"] for t in json.loads((workdir / "tasks.json").read_text())}
    smic = tasks["En 2024, le SMIC a progressé de 10 %, selon un élu."]
    assert smic["checked_claim"] == "Le SMIC a augmenté de 10 % en 2024."
    assert smic["checked_verdict"] == "misleading" and "checked_match" in smic
    # without a store (and none in the home), no match is looked for
    assert run_main(["preannotate", "budget.txt", "-o", "bare.json", "--jobs", "1"], capsys)[0] == 0
    bare = json.loads((workdir / "bare.json").read_text())
    assert bare and not any("checked_claim" in t["data"] for t in bare)


def test_checked_commands_bad_input_is_one_line(workdir, capsys):
    (workdir / "bad.csv").write_text("text,verdict,url\nA,false,u\n", encoding="utf-8")
    code, out, err = run_main(["checked", "add", "bad.csv"], capsys)
    assert code == 2 and err.count("\n") == 1 and "bad.csv:1: missing column 'date'" in err
    code, out, err = run_main(["checked", "match", "anything", "--store", "empty.sqlite"], capsys)
    assert code == 2 and err.count("\n") == 1 and "is empty" in err


def test_tasks_get_their_best_match_in_their_data():
    from workbench.checked.matching import MIN_SIMILARITY, iter_with_matches

    matcher = ClaimMatcher(read_checked_file(DATA / "sample_store.csv"))
    tasks = [{"data": {"text": "En 2024, le SMIC a progressé de 10 %."}},
             {"data": {"text": "Zzz qqq."}}]
    smic, nothing = list(iter_with_matches(tasks, matcher))
    assert smic["data"]["checked_claim"] == "Le SMIC a augmenté de 10 % en 2024."
    assert smic["data"]["checked_verdict"] == "misleading"
    assert smic["data"]["checked_similarity"] >= MIN_SIMILARITY["tfidf"]
    assert smic["data"]["checked_url"] in smic["data"]["checked_match"]
    assert nothing["data"]["checked_match"] == "" and "checked_claim" not in nothing["data"]
    assert tasks[0]["data"] == {"text": "En 2024, le SMIC a progressé de 10 %."}  # copies


def test_stored_vectors_are_encoded_once_and_rank_by_cosine(tmp_path):
    import numpy as np

    store = CheckedStore(tmp_path / "s.sqlite")
    store.add(read_checked_file(DATA / "sample_store.csv"))
    calls = []

    def encode(texts):  # a stand-in encoder: unit vectors from a hash of each text
        calls.append(len(texts))
        rows = [np.random.default_rng(sum(map(ord, t))).normal(size=8) for t in texts]
        return np.asarray([r / np.linalg.norm(r) for r in rows], dtype=np.float32)

    claims = store.claims()
    first = store.vectors(claims, "fake", encode)
    again = store.vectors(claims, "fake", encode)
    assert calls == [20] and np.array_equal(first, again)
    matcher = ClaimMatcher(claims, encode=encode, claim_vectors=first)
    best = next(matcher.best([claims[3].text]))
    assert best.claim == claims[3] and abs(best.similarity - 1.0) < 1e-5 and matcher.method == "e5"
