"""Reading articles: formats, encodings, directories, and bad input."""

import json
from pathlib import Path

import pytest

from workbench.text.articles import MAX_ARTICLE_BYTES, iter_articles
from workbench.core.errors import InputError
from workbench.core.records import article_key

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"

FR_TEXT = ("Le maire de Vierzac a annoncé mardi la fermeture de la piscine municipale. "
           "Selon lui, les travaux coûteraient près de 3,5 millions d'euros à la commune.")
EN_TEXT = ("The mayor of Halden announced on Tuesday that the public pool will close. "
           "He said repairs would cost the town about $3.5 million.")


def read(paths, **kwargs):
    """All articles and errors for the given paths."""
    errors = []
    articles = list(iter_articles([str(p) for p in paths], errors=errors, **kwargs))
    return articles, errors


def test_plain_text_first_line_is_title(tmp_path):
    path = tmp_path / "piscine-2026.txt"
    path.write_text("La piscine ferme\n\n" + FR_TEXT + "\n", encoding="utf-8")
    [article], errors = read([path])
    assert errors == []
    assert article.article_id == "piscine-2026"
    assert article.title == "La piscine ferme"
    assert article.text == "La piscine ferme\n\n" + FR_TEXT + "\n"
    assert article.lang == "fr"
    assert article.source == str(path)


def test_utf8_bom_removed_and_crlf_kept(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfPool closes\r\n\r\n" + EN_TEXT.encode() + b"\r\n")
    [article], _ = read([path])
    assert article.text.startswith("Pool closes\r\n\r\n")
    assert article.title == "Pool closes"
    assert article.lang == "en"


def test_cp1252_french_is_detected_not_guessed(tmp_path):
    text = ("Élections : « Ça va être difficile », prévient l’élue\r\n\r\n"
            "La présidente a déclaré que le coût, 3 € par élève, était très élevé. "
            "Les élèves où êtes-vous ? L’œuvre coûte cher, a-t-elle ajouté.\r\n")
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    [article], errors = read([path])
    assert errors == []
    assert article.text == text
    assert article.meta["encoding"] == "cp1252"


def test_latin1_text(tmp_path):
    text = "Le déficit se creuse\n\nLe déficit de la région a été révisé à la hausse, a précisé le président du conseil.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    [article], _ = read([path])
    assert article.text == text


def test_markdown_front_matter_and_heading(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: La piscine ferme\ndate: 2026-11-27\nauthor: Léa Martin\n---\n"
                    "# La piscine ferme\n\n" + FR_TEXT + "\n", encoding="utf-8")
    [article], _ = read([path])
    assert article.title == "La piscine ferme"
    assert article.published == "2026-11-27"
    assert article.author == "Léa Martin"
    assert article.text.startswith("# La piscine ferme")


def test_markdown_title_from_first_heading(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("## Pool closes ##\n\n" + EN_TEXT + "\n", encoding="utf-8")
    [article], _ = read([path])
    assert article.title == "Pool closes"


def test_html_main_content_title_date_author(tmp_path):
    html = f"""<html><head><title>La piscine ferme | Le Courrier</title>
    <meta name="author" content="Léa Martin">
    <meta property="article:published_time" content="2026-11-27T10:00:00Z"></head>
    <body><nav><a href="/">Accueil</a> <a href="/sport">Sport</a></nav>
    <article><h1>La piscine ferme</h1><p>{FR_TEXT}</p><h2>Des usagers déçus</h2>
    <p>Les nageurs du club local ont dit leur colère devant la mairie jeudi soir, selon nos informations.</p>
    </article><footer>Mentions légales - Tous droits réservés</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    [article], errors = read([path])
    assert errors == []
    assert article.title == "La piscine ferme"
    assert article.author == "Léa Martin"
    assert article.published == "2026-11-27"
    assert article.text.startswith("La piscine ferme\n\n")
    assert "Des usagers déçus" in article.text
    assert "Mentions légales" not in article.text and "Accueil" not in article.text
    assert article.lang == "fr"


def test_jsonl_rows_with_and_without_id(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [{"id": 17, "title": "Pool closes", "text": EN_TEXT, "url": "https://example.org/a",
             "published": "2026-11-27", "source": "Halden Star", "section": "local"},
            {"title": "Piscine", "text": FR_TEXT}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    first, second = read([path])[0]
    assert (first.article_id, first.title, first.url, first.publisher) == (
        "17", "Pool closes", "https://example.org/a", "Halden Star")
    assert first.published == "2026-11-27" and first.text == EN_TEXT
    assert first.meta["section"] == "local" and first.meta["line"] == 1
    assert second.article_id == article_key(FR_TEXT)
    assert (first.lang, second.lang) == ("en", "fr")


def test_csv_rows(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text('id,title,text,url,published,source\n'
                    f'a1,Pool closes,"{EN_TEXT}",https://example.org/a,2026-11-27,Halden Star\n'
                    f'a2,Piscine,"{FR_TEXT}\nDeuxième paragraphe.",,,\n', encoding="utf-8")
    first, second = read([path])[0]
    assert first.article_id == "a1" and first.publisher == "Halden Star"
    assert second.text == FR_TEXT + "\nDeuxième paragraphe."


def test_csv_cp1252_semicolons(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(f"id;titre;text\nx;Élections;{FR_TEXT} Été chargé, très.\n".encode("cp1252"))
    [article], errors = read([path])
    assert errors == []
    assert article.text.endswith("Été chargé, très.")


def test_directory_recursive_glob_and_skips(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("One\n\n" + EN_TEXT, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text("Two\n\n" + EN_TEXT, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.gold.jsonl").write_text('{"text": "not an article"}\n', encoding="utf-8")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden\n\n" + EN_TEXT, encoding="utf-8")
    articles, errors = read([tmp_path / "a"])
    assert [a.article_id for a in articles] == ["one", "two"] and errors == []
    articles, errors = read([str(tmp_path / "a" / "**" / "*.txt")])
    assert sorted(a.article_id for a in articles) == ["one", "two"]


def test_iter_articles_is_lazy(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Title {i}\n\n" + EN_TEXT, encoding="utf-8")
    stream = iter_articles([tmp_path])
    assert next(stream).article_id == "0"
    (tmp_path / "2.txt").unlink()  # read only when reached
    assert [a.article_id for a in stream] == ["1"]


@pytest.mark.parametrize("name, content, words", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("empty.jsonl", b"", "empty file"),
    ("binary.csv", b"id,text\n\x00\x01\x02", "binary"),
])
def test_bad_file_is_reported_and_others_still_read(tmp_path, name, content, words):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Good\n\n" + EN_TEXT, encoding="utf-8")
    articles, errors = read([bad, good])
    assert [a.article_id for a in articles] == ["good"]
    [error] = errors
    assert isinstance(error, InputError)
    assert str(bad) in str(error) and words in str(error)
    assert "\n" not in str(error)


def test_missing_path_and_empty_glob(tmp_path):
    articles, errors = read([tmp_path / "nope.txt", tmp_path / "*.nothing"])
    assert articles == []
    assert "no such file" in str(errors[0]) and "matches no file" in str(errors[1])


def test_huge_single_line_file_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write(b"x" * (50 * 1024 * 1024))
    articles, errors = read([path])
    assert articles == []
    assert "huge.txt" in str(errors[0]) and "limit" in str(errors[0])


def test_huge_jsonl_line_skipped_other_lines_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    with open(path, "wb") as handle:
        handle.write(json.dumps({"id": "a", "text": EN_TEXT}).encode() + b"\n")
        handle.write(b'{"id": "big", "text": "' + b"y" * (50 * 1024 * 1024) + b'"}\n')
        handle.write(json.dumps({"id": "c", "text": FR_TEXT}).encode() + b"\n")
    articles, errors = read([path])
    assert [a.article_id for a in articles] == ["a", "c"]
    assert f"{path}:2:" in str(errors[0]) and "limit" in str(errors[0])


def test_malformed_jsonl_line_names_file_and_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "text": EN_TEXT}) + "\n"
                    '{"id": "b", "text": "unterminated\n'
                    "\n"
                    '["not", "an", "object"]\n'
                    '{"id": "d", "title": "no text"}\n'
                    + json.dumps({"id": "e", "text": FR_TEXT}) + "\n", encoding="utf-8")
    articles, errors = read([path])
    assert [a.article_id for a in articles] == ["a", "e"]
    messages = [str(e) for e in errors]
    assert messages[0].startswith(f"{path}:2: malformed JSON")
    assert messages[1].startswith(f"{path}:4: expected a JSON object")
    assert messages[2].startswith(f"{path}:5: no article text")


def test_jsonl_cp1252_line_decoded(tmp_path):
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(json.dumps({"id": "x", "text": FR_TEXT + " Été très chargé."},
                                ensure_ascii=False).encode("cp1252") + b"\n")
    [article], errors = read([path])
    assert errors == [] and article.text.endswith("Été très chargé.")


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,headline\n1,Nothing\n", encoding="utf-8")
    articles, errors = read([path])
    assert articles == [] and f"{path}:1:" in str(errors[0]) and "text column" in str(errors[0])


def test_strict_raises_first_error(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_bytes(b"")
    good = tmp_path / "b.txt"
    good.write_text("Good\n\n" + EN_TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="a.txt: empty file"):
        list(iter_articles([bad, good], strict=True))


def test_errors_list_optional(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_bytes(b"")
    assert list(iter_articles([bad])) == []


def test_limit_is_sane():
    assert 1_000_000 <= MAX_ARTICLE_BYTES < 50 * 1024 * 1024


def test_seed_article_reads_as_gold_expects():
    seed = SEED_DIR / "sputnik-fr-2021-12-16.txt"
    if not seed.exists():
        pytest.skip("shared seed not available")
    [article], errors = read([seed])
    assert errors == []
    assert article.article_id == "sputnik-fr-2021-12-16"
    assert article.text == seed.read_text(encoding="utf-8")
    assert article.title.startswith("Absents du Sommet pour la démocratie")
    assert article.lang == "fr"
