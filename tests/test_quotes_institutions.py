"""French sources naming institutions and people in the longer forms news writes them in:
hyphenated names, a place before a person's name, official bodies in lower case, the
cabinet of a minister, an employer named after its head; and the constructions that open
them ("Pour la chambre d'agriculture, ...", "La juriste demande une astreinte")."""

from __future__ import annotations

from test_quotes_speakers import found


def test_hyphenated_names_are_one_word_in_a_source():
    text = ("Gérard Pouzols siège au Sénat depuis 2014. « Ce texte est mal ficelé », a déclaré "
            "jeudi le sénateur du Lot-et-Garonne. L'UFC-Que Choisir estime que les prix sont "
            "trop hauts.")
    first, second = found(text)
    assert first["source"] == "le sénateur du Lot-et-Garonne"
    assert first["speaker"] == "Gérard Pouzols"
    assert second["source"] == "L'UFC-Que Choisir" and second["speaker"] == "UFC-Que Choisir"


def test_a_place_before_a_name_and_the_feminine_doctor():
    text = ("« Rien ne va », juge le député RN de l'Aude Cédric Mallet. « Tout va mal », "
            "ajoute-t-il. La Dre Isabelle Chappuis dirige les urgences. « Nous tenons », "
            "dit la Dre Chappuis.")
    assert [a["speaker"] for a in found(text)] == ["Cédric Mallet", "Cédric Mallet",
                                                   "Isabelle Chappuis"]


def test_official_bodies_in_lower_case_and_names_with_an_adjective():
    text = ("La chambre des métiers estime que la zone est mal conçue. Selon un rapport de "
            "l'inspection générale, les contrôles manquent. « Nous refusons », affirme la "
            "Confédération paysanne. L'association des commerçants de la rue Nationale estime "
            "que le tram tarde. Le musée des Beaux-Arts de Caen assure que la toile sera rendue.")
    assert [a["speaker"] for a in found(text)] == [
        "Chambre des métiers", "Inspection générale", "Confédération paysanne",
        "Association des commerçants de la rue Nationale", "Musée des Beaux-Arts de Caen"]


def test_an_agency_named_with_its_adjective_answers_to_l_agence():
    text = ("L'Agence nationale de sécurité du médicament (ANSM) a classé plusieurs dosages "
            "en tension. L'agence demande aux médecins de réserver les flacons aux enfants.")
    (only,) = found(text)
    assert only["source"] == "L'agence" and only["cue"] == ["demande"]
    assert only["content"] == ["de réserver les flacons aux enfants"]
    assert only["speaker"] == "Agence nationale de sécurité du médicament"


def test_a_minister_s_cabinet_speaks_for_the_minister_of_its_gender():
    text = ("La ministre Catherine Lavoie-Ouellet visitait Rimouski. Le cabinet de la ministre "
            "assure que les places seront créées. Le cabinet du ministre affirme que tout va "
            "bien.")
    assert [a["speaker"] for a in found(text)] == ["Catherine Lavoie-Ouellet", None]


def test_the_company_a_chief_executive_heads_answers_to_l_etablissement():
    text = ("« Nous avons failli », a écrit le directeur général de Nuvia, Arnaud Kessler. "
            "L'établissement attribue la panne à une mise à jour défaillante.")
    assert [a["speaker"] for a in found(text)] == ["Arnaud Kessler", "Nuvia"]


def test_pour_with_a_body_a_named_network_or_a_demonstrative():
    text = ("Marie Dubois élève des vaches. Pour la chambre d'agriculture, l'essentiel sera "
            "de vérifier la production. Pour le Réseau Action Climat, ce rapport est « un "
            "constat d'échec ». Pour la France, le traité est bon. Pour celle-ci, les prix "
            "baissent.")
    assert [(a["source"], a["speaker"]) for a in found(text)] == [
        ("la chambre d'agriculture", "Chambre d'agriculture"),
        ("le Réseau Action Climat", "Réseau Action Climat"), ("celle-ci", "Marie Dubois")]


def test_a_verb_that_is_also_a_noun_after_a_role_or_a_body():
    text = ("La juriste demande une astreinte de 10 millions d'euros. Le rapport pointe le "
            "rôle du nettoyage. La forte demande a surpris les pharmacies.")
    assert [(a["source"], a["cue"], a["content"]) for a in found(text)] == [
        ("La juriste", ["demande"], ["une astreinte de 10 millions d'euros"]),
        ("Le rapport", ["pointe"], ["le rôle du nettoyage"])]


def test_a_study_s_author_ends_before_what_it_is_about():
    text = ("Un rapport de la Cour des comptes sur la gestion de l'Élysée a été publié. "
            "Le rapport pointe des dépenses en hausse.")
    assert [a["speaker"] for a in found(text)] == ["Cour des comptes"]
