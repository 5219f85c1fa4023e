"""Sentence segmentation: roles, offsets, repairs, and what must stay together."""

import unicodedata

import pytest

from workbench.core.records import Article, Sentence, sentence_key
from workbench.text.segment import is_byline, iter_sentences, normalise, segment_article


def split(text, lang="fr", title=""):
    """The sentences of a one-off article, checked against the offset contract."""
    article = Article("t", text, title=title, lang=lang)
    sentences = segment_article(article)
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    return sentences


def texts(text, lang="fr", title=""):
    return [s.text for s in split(text, lang, title)]


# --- glued headings and sentences ------------------------------------------------

def test_glued_heading_after_lower_case_word():
    body = ("Les deux pays ont signé un accord en Chine.Des relations exemplairesEn entamant "
            "les négociations, le président a salué le partenariat.")
    sentences = split(body)
    assert [(s.text, s.role) for s in sentences] == [
        ("Les deux pays ont signé un accord en Chine.", "body"),
        ("Des relations exemplaires", "heading"),
        ("En entamant les négociations, le président a salué le partenariat.", "body"),
    ]


@pytest.mark.parametrize("body, heading", [
    ('Le pays avance.Le droit bafoué au nom de "la démocratie"Xi Jinping a répondu aux critiques hier.',
     'Le droit bafoué au nom de "la démocratie"'),
    ('Le sommet a eu lieu.Le New York Times évoque un "front uni"Le New York Times a réagi très vite.',
     'Le New York Times évoque un "front uni"'),
    ("Le vote a eu lieu.Des transports « sacrifiés »L'opposition a dénoncé une baisse des crédits.",
     "Des transports « sacrifiés »"),
    ("Il a parlé.Une génération sous perfusion« On observe des troubles », dit-il ce matin.",
     "Une génération sous perfusion"),
    ("Elle a parlé.« On trie dans les couloirs »« Nous ne pouvons plus », dit un médecin hier.",
     "« On trie dans les couloirs »"),
    ("The vote was close.Libraries pay the priceLibrary users packed the public gallery.",
     "Libraries pay the price"),
    ('The ruling came late.A blow to the "gig" modelLawyers called it a landmark decision.',
     'A blow to the "gig" model'),
])
def test_glued_headings(body, heading):
    sentences = split(body, lang="en" if body.startswith("The") else "fr")
    assert (heading, "heading") in [(s.text, s.role) for s in sentences]
    assert len(sentences) == 3


def test_glued_question_heading():
    body = "« On ne pouvait pas faire plus », a-t-il plaidé.Ferrer, le renouveau ?Formé au club local, il court depuis 2024."
    assert [(s.text, s.role) for s in split(body)][1] == ("Ferrer, le renouveau ?", "heading")


def test_glued_sentences_split():
    assert texts("Il a salué la hausse des échanges entre les deux pays.Le droit est clair. Il l'a dit.") == [
        "Il a salué la hausse des échanges entre les deux pays.", "Le droit est clair.", "Il l'a dit."]
    assert texts('Il a parlé de "sécurité".La diplomatie a suivi.') == [
        'Il a parlé de "sécurité".', "La diplomatie a suivi."]
    assert texts('Il est parti."Je reste", a-t-elle dit.') == ['Il est parti.', '"Je reste", a-t-elle dit.']


@pytest.mark.parametrize("text", [
    "Tommy McDonald scored twice for the club on Saturday.",
    "The iPhone maker posted the news on LinkedIn and YouTube yesterday.",
    "Le groupe easyJet et la société bioMérieux ont publié leurs comptes sur LinkedIn.",
    "Les ventes d'iPhone et d'iPad ont reculé chez Apple, selon McKinsey et PayPal.",
    "Shares of BlackRock, PowerPoint users and the WhatsApp team were all affected.",
])
def test_camel_case_names_are_not_glued_headings(text):
    assert texts(text, lang="en") == [text]


# --- what must stay together -------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Le maire, M. Dupont, a répondu à Mme Durand et à MM. Martin et Petit.", "fr"),
    ("Des pommes, des poires, etc. sont vendues au marché.", "fr"),
    ("Il a proposé p. ex. une hausse des tarifs.", "fr"),
    ("The U.S. economy grew faster than the U.K. economy last year.", "en"),
    ("Dr. Smith met Mr. Jones and Prof. Lee in St. Louis on Tuesday.", "en"),
    ("Le Dr. Martin a reçu le Pr. Lebrun le 16.12.2021 à Paris.", "fr"),
    ("Au XXIe siècle, le taux a atteint 3,5 % selon l'Insee.", "fr"),
    ("Le taux atteint 3,5\u00a0% cette année, contre 2,1\u00a0% l'an dernier.", "fr"),
    ("Il hésite... puis il repart vers la gare.", "fr"),
    ("Calculators did not end mathematics… unless we let them.", "en"),
    ("« Il pleut. Il vente. Il neige », a-t-il dit au micro.", "fr"),
    ('He said "It works. Really. Trust me" and left the room.', "en"),
    ("“We will win. We always do,” she said after the vote.", "en"),
    ("The ruling in Alvarez vs. Zoomly Inc. was handed down by Judge Harriet O. Blake.", "en"),
    ("La cité date de 52 av. J.-C. selon les fouilles menées en 2026.", "fr"),
    ("Voir l'art. 5 du règlement et la p. 12 du rapport.", "fr"),
    ("The vote came shortly after 2:30 a.m. on Wednesday.", "en"),
    ("The judge of the U.S. District Court in Sacramento ruled on Tuesday.", "en"),
])
def test_kept_together(text, lang):
    assert texts(text, lang) == [text]


@pytest.mark.parametrize("text, expected, lang", [
    ("Ils vendent des cases, des chargeurs, etc. Tous ont été rejetés.",
     ["Ils vendent des cases, des chargeurs, etc.", "Tous ont été rejetés."], "fr"),
    ("Drugs cost $900 a month in the U.S. Patient groups said that was too much.",
     ["Drugs cost $900 a month in the U.S.", "Patient groups said that was too much."], "en"),
    ("The goal came from captain Luke Farrow Jr. St. Brendan's pulled one back.",
     ["The goal came from captain Luke Farrow Jr.", "St. Brendan's pulled one back."], "en"),
    ("(Figures will be published on Oct. 12.) The economist said rates rose.",
     ["(Figures will be published on Oct. 12.)", "The economist said rates rose."], "en"),
    ("Écrivez à jobs@exemple.fr. La liste figure sur www.exemple.fr/offres.",
     ["Écrivez à jobs@exemple.fr.", "La liste figure sur www.exemple.fr/offres."], "fr"),
    ('"If we teach them to use it, we teach them to cheat," one told me. I disagree.',
     ['"If we teach them to use it, we teach them to cheat," one told me.', "I disagree."], "en"),
])
def test_sentence_ends_after_abbreviation_or_address(text, expected, lang):
    assert texts(text, lang) == expected


def test_numbered_list_items_keep_their_number():
    text = "Ce que proposent les maires :\n1. Un moratoire de trois ans.\n2. Des classes reconnues.\n"
    assert texts(text)[-2:] == ["1. Un moratoire de trois ans.", "2. Des classes reconnues."]


# --- structure roles -------------------------------------------------------------

ARTICLE = (
    "Le conseil adopte le budget\n\n"
    "Après neuf heures de séance, les élus ont voté un budget en hausse, malgré une opposition qui dénonce... "
    "27.11.2026, Le Quotidien du Centre\n\n"
    "Le budget a été adopté jeudi soir. Il s'élève à 2,1 milliards d'euros.\n\n"
    "Les lycées en priorité\n\n"
    "Sur cette enveloppe, 4,3 millions iront au lycée Jean-Moulin.\n"
)


def test_roles_title_lead_byline_heading_body():
    sentences = split(ARTICLE, title="Le conseil adopte le budget")
    assert [s.role for s in sentences] == ["title", "lead", "byline", "body", "body", "heading", "body"]
    assert sentences[1].text.endswith("qui dénonce...")
    assert sentences[2].text == "27.11.2026, Le Quotidien du Centre"


def test_title_found_without_article_title():
    assert split(ARTICLE)[0].role == "title"


def test_byline_line_after_lead_and_standalone_byline():
    text = ("Harbour council passes budget\n\n"
            "Councillors approved a leaner plan on Wednesday. It cuts library hours.\n"
            "By Tom Reyes | Nov. 26, 2026, The Harbour City Ledger\n\n"
            "The vote came after midnight. It was close.\n")
    assert [s.role for s in split(text, lang="en")] == ["title", "lead", "lead", "byline", "body", "body"]


@pytest.mark.parametrize("line", [
    "16.12.2021, Sputnik France",
    "By Tom Reyes | Nov. 26, 2026, The Harbour City Ledger",
    "By Laura Kim and Dev Patel Jr. | Feb. 3, 2027, Pacific Ledger",
    "The Editorial Board | 09.05.2026, The Midland Courier",
    "Par Karim Benali, publié le 3 mars 2026 à 14h05",
    "Éditorial, publié le 2 mai 2026 à 6h00, par la rédaction",
    "Publié le 5 février 2026 à 18h20",
    "By Jane Doe",
])
def test_bylines_recognised(line):
    assert is_byline(line)


@pytest.mark.parametrize("line", [
    "Par ailleurs, le maire a démissionné le 3 mars 2026.",
    "By 2030, the city will have doubled its budget.",
    "Le droit international bafoué",
    "By the numbers",
])
def test_prose_is_not_byline(line):
    assert not is_byline(line)


def test_standalone_question_heading():
    text = "Title of the piece\n\nPrices fell again in May.\n\nWhat comes next?\n\nExperts expect a rebound.\n"
    assert [s.role for s in split(text, lang="en")] == ["title", "body", "heading", "body"]


def test_markdown_headings_and_bullets():
    text = "# Pool closes\n\nThe pool will close in May.\n\n## Reactions\n\n- Swimmers are angry.\n- The club will move.\n"
    sentences = split(text, lang="en", title="Pool closes")
    assert [(s.text, s.role) for s in sentences] == [
        ("Pool closes", "title"), ("The pool will close in May.", "body"), ("Reactions", "heading"),
        ("Swimmers are angry.", "body"), ("The club will move.", "body")]


def test_hard_wrapped_paragraph_is_joined():
    text = ("Title\n\nThe council voted on Tuesday to approve a budget that cuts library hours and\n"
            "delays road repairs. The mayor said it was the only way to close the gap.\n")
    assert texts(text, lang="en")[1:] == [
        "The council voted on Tuesday to approve a budget that cuts library hours and\ndelays road repairs.",
        "The mayor said it was the only way to close the gap."]


# --- offsets and Unicode -----------------------------------------------------------

def test_crlf_offsets_point_into_original():
    text = "Titre\r\n\r\nPremière phrase ici. Deuxième phrase là.\r\nTroisième phrase.\r\n"
    assert texts(text) == ["Titre", "Première phrase ici.", "Deuxième phrase là.", "Troisième phrase."]


def test_decomposed_unicode_offsets_point_into_original():
    text = unicodedata.normalize("NFD", "Le café est très chaud. Élise a payé 3 € au comptoir.")
    sentences = split(text)
    assert len(sentences) == 2
    assert unicodedata.normalize("NFC", sentences[1].text) == "Élise a payé 3 € au comptoir."


def test_normalise_maps_offsets_back():
    original = "e\u0301te\u0301 ici"
    normal, to_original = normalise(original)
    assert normal == "été ici"
    assert to_original(normal.index("ici")) == original.index("ici")
    assert to_original(len(normal)) == len(original)


def test_other_languages_pass_through():
    sentences = split("Der Rat hat den Haushalt beschlossen. Die Opposition war dagegen.", lang="de")
    assert [s.text for s in sentences] == ["Der Rat hat den Haushalt beschlossen.", "Die Opposition war dagegen."]
    assert {s.lang for s in sentences} == {"de"}
    assert len(split("Hello there. General Kenobi.", lang="")) == 2


def test_empty_and_blank_articles():
    assert split("") == []
    assert split(" \n\n \r\n") == []


# --- records and streaming ---------------------------------------------------------

def test_sentences_are_records_with_ids_from_make():
    article = Article("a1", "Titre\n\nUne phrase. Une autre.", title="Titre", lang="fr")
    sentences = segment_article(article)
    assert all(isinstance(s, Sentence) for s in sentences)
    assert [s.index for s in sentences] == [0, 1, 2]
    assert sentences[1].sentence_id == sentence_key("a1", 1, "Une phrase.")
    assert len({s.sentence_id for s in sentences}) == 3
    assert segment_article(article) == sentences  # deterministic


def test_iter_sentences_streams_articles_in_order():
    def articles():
        yield Article("a", "Un. Deux trois.", lang="fr")
        yield Article("b", "Quatre cinq.", lang="fr")
        raise AssertionError("read past what was asked")

    stream = iter_sentences(articles())
    first = [next(stream) for _ in range(3)]
    assert [(s.article_id, s.index) for s in first] == [("a", 0), ("a", 1), ("b", 0)]


def test_punctuation_only_lines_are_not_sentences():
    assert texts("Titre\n\nUne phrase.\n\n***\n\nUne autre phrase.\n") == ["Titre", "Une phrase.", "Une autre phrase."]


def test_dotted_file_names_and_versions_are_not_glued_sentences():
    assert texts("Download report.PDF from the site. Version 2.0 is out.", lang="en") == [
        "Download report.PDF from the site.", "Version 2.0 is out."]


@pytest.mark.parametrize("line", [
    "« " + "Il dit. Elle répond. " * 40_000,  # an unclosed quote over 800 KB
    "Un mot " * 150_000,                       # one 1 MB sentence
    "exemplairesEn " * 60_000,                 # glue candidates everywhere
])
def test_pathological_lines_finish(line):
    """Not a timing test: a quadratic repair pass would not finish in reasonable time."""
    sentences = split("Titre\n\n" + line)
    assert sentences and sentences[0].role == "title"


def test_title_ending_with_acronym_found_without_article_title():
    text = "Les éleveurs manifestent contre l’accord de l’U.E.\n\nDes tracteurs ont convergé vers Strasbourg.\n"
    assert [s.role for s in split(text)] == ["title", "body"]
