"""French sources naming institutions and people in the longer forms news writes them in:
hyphenated names, a place before a person's name, official bodies in lower case, the
cabinet of a minister, an employer named after its head; and the constructions that open
them ("Pour la chambre d'agriculture, ...", "La juriste demande une astreinte")."""

from __future__ import annotations

from test_quotes_speakers import found


def test_hyphenated_names_are_one_word_in_a_source():
    text = ("Gérard Pouzols siège au Sénat depuis 2014. « Ce texte est mal ficelé », a "
            "déclaré jeudi le sénateur du Lot-et-Garonne. L'UFC-Que Choisir estime que les prix "
            "sont trop hauts.")
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


def test_the_head_of_a_company_is_a_person_and_the_company_is_not():
    text = ("Le régulateur a sanctionné la chaîne régionale Télé Azur. La chaîne conteste "
            "les chiffres. Son président, Romain Castagné, a réagi. « Faut-il nous reprocher "
            "leur absence ? », interroge le patron de Télé Azur. Il annonce un recours.")
    assert [a["speaker"] for a in found(text)] == ["Télé Azur", "Romain Castagné",
                                                   "Romain Castagné"]


def test_the_outlet_in_the_byline_is_no_organisation_of_the_article():
    text = ("Amende pour une chaîne\n\nPar Nadia Benslimane | Le Quotidien | 25/11/2026\n\n"
            "Le régulateur a estimé mercredi que la chaîne avait manqué à ses obligations.")
    assert [a["speaker"] for a in found(text)] == [None]


def test_celle_qui_as_a_source_and_more_nouns_of_people():
    text = ("Anne-Sophie Delorme a ouvert les archives. Celle qui dirige le musée depuis 2020 "
            "espère que ce dossier encouragera les autres. Léa Martinon garde 600 brebis. "
            "« Le loup revient chaque nuit », raconte la bergère.")
    first, second = found(text)
    assert first["source"] == "Celle qui dirige le musée depuis 2020"
    assert first["speaker"] == "Anne-Sophie Delorme" and second["speaker"] == "Léa Martinon"


def test_elle_after_an_organisation_named_bare_or_with_an_elided_article():
    text = ("Voltéo a annoncé mardi le rappel de 40 000 batteries. Elle assure que personne "
            "n'a été blessé.")
    assert [a["speaker"] for a in found(text)] == ["Voltéo", "Voltéo"]


def test_clitics_and_a_negation_before_the_verb_are_no_part_of_the_source():
    text = ("La Société des rédacteurs lui reproche un manque de transparence. La chambre "
            "régionale des comptes y relève que les marchés étaient mal suivis. Karim Aït "
            "joue à Lyon. L'ancien Lyonnais ne nous a pas dit qu'il partait.")
    assert [a["source"] for a in found(text)] == [
        "La Société des rédacteurs", "La chambre régionale des comptes", "L'ancien Lyonnais"]


def test_a_verb_after_et_shares_the_subject_of_the_verb_before_it():
    text = ("Le maire, Alain Fortier, a mis un local à disposition et promet qu'un médecin "
            "viendra.")
    (only,) = found(text)
    assert only["source"] == "Le maire, Alain Fortier" and only["speaker"] == "Alain Fortier"


def test_a_verb_before_a_mixed_quotation_and_a_former_chief():
    text = ("Valérie Naud porte le projet. Elle a défendu un projet « indispensable » à la "
            "sortie des énergies fossiles. Hélène Roux a quitté le gouvernement en mai. "
            "L'ex-ministre assure que rien n'était prêt.")
    assert [(a["cue"], a["speaker"]) for a in found(text)] == [
        (["a défendu"], "Valérie Naud"), (["assure"], "Hélène Roux")]


def test_a_verb_that_makes_the_reporting_verb_after_it_its_own():
    text = ("Sandrine Fabre entraîne Brest. La technicienne a tenu à saluer la performance de "
            "sa gardienne. Le procureur se contente d'indiquer que l'enquête avance. Le "
            "ministre s'est borné à répondre que rien n'était décidé. Il tient à sa maison.")
    assert [(a["cue"], a["content"]) for a in found(text)] == [
        (["a tenu à saluer"], ["la performance de sa gardienne"]),
        (["se contente d'indiquer"], ["que l'enquête avance"]),
        (["s'est borné à répondre"], ["que rien n'était décidé"])]


def test_a_verb_that_is_also_a_noun_after_a_relative_and_a_quotation_after_an_adverbial():
    text = ("La FCPE du Rhône, qui a apporté des croissants, demande à la mairie de publier le "
            "nombre de postes vacants. EDF défend de son côté des offres « compétitives ». "
            "Une hausse, demande forte, est attendue.")
    assert [(a["source"], a["cue"]) for a in found(text)] == [
        ("La FCPE du Rhône", ["demande"]), ("EDF", ["défend"])]


def test_first_names_with_or_without_accents_and_a_minister_s_portfolio():
    text = ("Gwénaël Ropert trait 90 vaches. « Je ne couvre pas mes coûts », lance-t-il. "
            "Hubert Ravaud regrette une fusion hâtive. Pour ce dernier, les comptes manquent. "
            "D'après l'entourage du ministre de l'Économie, rien n'est tranché.")
    assert [a["speaker"] for a in found(text)] == ["Gwénaël Ropert", "Hubert Ravaud",
                                                   "Hubert Ravaud", None]


def test_organisations_named_with_an_adjective_by_their_initials_or_in_full():
    text = ("Après sept mois, la mutuelle niortaise Mutualia a signé un accord. La direction "
            "assure que le télétravail restera possible. La SNCF supprime des trains. La CGT "
            "appelle à la grève. Les billets seront remboursés, a précisé la "
            "compagnie. L'Union sportive montalbanaise (USM) a licencié son entraîneur. Le club "
            "estime que la faute est grave.")
    assert [a["speaker"] for a in found(text)] == [
        "Mutualia", "CGT", "SNCF", "Union sportive montalbanaise"]


def test_a_verb_before_a_count_reports_it_a_measurement_does_not():
    text = ("L'association Droit au logement recense plus de 1 100 ménages menacés. Le "
            "randonneur mesure 1,75 mètre. L'ONU recense plus de 4.000 morts depuis janvier.")
    assert [(a["source"], a["content"]) for a in found(text)] == [
        ("L'association Droit au logement", ["plus de 1 100 ménages menacés"]),
        ("L'ONU", ["plus de 4.000 morts depuis janvier"])]
