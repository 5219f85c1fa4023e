"""French sources and their speakers: anaphors, honorifics, descriptions learnt from the
article, institutions behind figures; and the constructions around them (incise verbs,
"Pour X,", "À en croire", an addressee before "de", a relative "qui")."""

from __future__ import annotations

from workbench.core.records import Article
from workbench.quotes.extract import extract
from workbench.quotes.people import noun_gender, stem


def found(text: str) -> list[dict]:
    result = []
    for a in extract(Article("a1", text, lang="fr")):
        result.append({"source": a.source and text[a.source[0].start:a.source[0].end],
                       "cue": [s.text(text) for s in a.cue],
                       "content": [s.text(text) for s in a.content], "speaker": a.speaker})
    return result


def test_anaphors_point_back_to_the_person_of_their_gender():
    text = ("Le maire, Julien Ferrand, a reçu la présidente du groupe, Isabelle Roux. "
            "Celle-ci a assuré qu’aucune décision n’était prise. Ce dernier estime que "
            "l’usine doit rester ouverte. L’intéressée a promis de revenir en mai.")
    first, second, third = found(text)
    assert first["source"] == "Celle-ci" and first["speaker"] == "Isabelle Roux"
    assert second["source"] == "Ce dernier" and second["speaker"] == "Julien Ferrand"
    assert third["source"] == "L’intéressée" and third["speaker"] == "Isabelle Roux"


def test_honorifics_and_compound_names():
    text = ("Jean-Marc Le Gall a visité la gare avec Me Hélène Vasseur. « Tout est prêt », "
            "a déclaré M. Le Gall. Elle a ajouté que le chantier avait coûté cher.")
    first, second = found(text)
    assert first["source"] == "M. Le Gall" and first["speaker"] == "Jean-Marc Le Gall"
    assert second["speaker"] == "Hélène Vasseur"


def test_description_learnt_from_the_article_and_gender_of_role_nouns():
    text = ("La pneumologue Anne-Sophie Lemaire a croisé le cardiologue Paul Renard. "
            "La pneumologue réclame une campagne de rappel. « Il faut attendre », "
            "estime le cardiologue.")
    first, second = found(text)
    assert first["speaker"] == "Anne-Sophie Lemaire"
    assert second["source"] == "le cardiologue" and second["speaker"] == "Paul Renard"
    assert stem("directrice") == "directeur" and noun_gender("avocate") == "f"
    assert noun_gender("ministre") is None


def test_indefinite_sources_name_no_one_and_figures_speak_for_their_author():
    text = ("Sophie Marchal dirige l’agence. « On a attendu six heures », raconte une mère "
            "de famille. D’après les chiffres de Santé publique France, les passages ont "
            "doublé.")
    first, second = found(text)
    assert first["source"] == "une mère de famille" and first["speaker"] is None
    assert second["speaker"] == "Santé publique France"


def test_incise_verbs_pour_and_a_en_croire():
    text = ("Claire Dumont travaille à l’hôpital. « Je veux voir les contrats », lâche "
            "l’infirmière. Elle lâche son badge sur la table. Pour Mme Dumont, la direction "
            "a menti. À en croire un délégué, la grève durera.")
    quotes = found(text)
    assert [q["cue"] for q in quotes] == [["lâche"], ["Pour"], ["À en croire"]]
    assert quotes[0]["speaker"] == "Claire Dumont"
    assert quotes[1]["source"] == "Mme Dumont" and quotes[1]["content"] == ["la direction a menti"]
    assert quotes[2]["source"] == "un délégué" and quotes[2]["speaker"] is None


def test_addressee_left_out_and_relative_source():
    text = ("La préfète Hélène Corbière a demandé aux habitants de fermer leurs fenêtres. "
            "Le procès a repris avec la procureure Amélie Fournel, qui a requis dix ans "
            "de prison.")
    first, second = found(text)
    assert first["content"] == ["de fermer leurs fenêtres"]
    assert second["source"] == "qui" and second["speaker"] == "Amélie Fournel"
    assert second["content"] == ["dix ans de prison"]


def test_person_by_age_apposition_and_nouns_read_as_roles():
    text = ("Ginette Lamoureux, 78 ans, a perdu ses économies. La septuagénaire dit avoir "
            "honte. Son avocate, la pénaliste Odile Marin, défend les victimes. La pénaliste "
            "accuse les banques.")
    first, second = found(text)
    assert first["source"] == "La septuagénaire" and first["speaker"] == "Ginette Lamoureux"
    assert first["content"] == ["avoir honte"]
    assert second["speaker"] == "Odile Marin"  # "défend" reports only after a quotation


def test_pronoun_prefers_the_subject_to_a_person_named_after_a_preposition():
    text = ("Inès Carvalho s’est imposée dimanche face à l’Ukrainienne Daria Kovalenko. "
            "« J’ai tremblé », a-t-elle raconté.")
    [a] = found(text)
    assert a["speaker"] == "Inès Carvalho"


def test_organisations_named_by_their_kind_their_acronym_or_their_spokesperson():
    text = ("Le festival Jazz en Vallée aura lieu en juillet. Le festival prévoit d’accueillir "
            "18 000 spectateurs. D’après l’Office français de la biodiversité (OFB), la rivière "
            "est polluée. L’OFB soupçonne une laiterie. La direction de Lactalia Ouest reconnaît "
            "un incident. Le porte-parole de l’entreprise assure que tout est réparé.")
    speakers = [q["speaker"] for q in found(text)]
    assert speakers == ["Jazz en Vallée", "Office français de la biodiversité",
                        "Office français de la biodiversité", "Lactalia Ouest", "Lactalia Ouest"]


def test_a_study_speaks_for_its_author_and_an_institution_ends_before_a_participle():
    text = ("D’après une étude de l’Insee publiée jeudi, l’âge moyen de départ est de 62 ans. "
            "L’Agence régionale de santé a annoncé le plan blanc.")
    first, second = found(text)
    assert first["speaker"] == "Insee"
    assert second["speaker"] == "Agence régionale de santé"


def test_description_and_counterpart_prefer_the_subject_of_the_sentence():
    text = ("Le Premier ministre Hugo Lemaire a reçu mardi le chancelier allemand Klaus Becker. "
            "Le chef du gouvernement a salué un accord historique. « Nos pays montrent la voie », "
            "a répondu son homologue allemand. Il a par ailleurs indiqué que Berlin paierait.")
    first, second, third = found(text)
    assert first["speaker"] == "Hugo Lemaire"
    assert second["speaker"] == "Klaus Becker"
    # a pronoun right after a source, no one named between: that source's speaker
    assert third["cue"] == ["a", "indiqué"] and third["speaker"] == "Klaus Becker"


def test_institutions_named_by_their_kind_and_a_spokesman_of_an_unnamed_one():
    text = ("Le ministère de la Santé a indiqué que le plan était prêt. Pour la police, "
            "l’enquête avance. L’avocat général Gilles Ferrand a pris la parole. Le "
            "représentant du parquet a rappelé que la victime ne travaillait plus.")
    first, second, third = found(text)
    assert first["speaker"] == "Ministère de la Santé"
    assert second["source"] == "la police" and second["speaker"] is None
    assert third["speaker"] == "Gilles Ferrand"


def test_institutions_by_pronoun_apposition_and_acronym():
    text = ("D'après la préfecture de l'Isère, trois routes restent fermées. Elle impute les "
            "dégâts à la crue de l'Isère. La CGPME, première organisation patronale du "
            "département, dénonce un manque d'anticipation. La Commission nationale du débat "
            "public (CNDP) a proposé une nouvelle réunion. Les Jeunes Commerçants de Voiron, "
            "qui avaient alerté la mairie, réclament des aides. Ils ont écrit au préfet.")
    prefecture, pronoun, apposed, bracketed, relative, plural = found(text)
    assert prefecture["speaker"] == "Préfecture de l'Isère"
    assert pronoun["source"] == "Elle" and pronoun["speaker"] == "Préfecture de l'Isère"
    assert apposed["speaker"] == "CGPME"
    assert bracketed["source"] == "La Commission nationale du débat public (CNDP)"
    assert bracketed["speaker"] == "Commission nationale du débat public"
    assert relative["speaker"] == "Jeunes Commerçants de Voiron"
    assert plural["source"] == "Ils" and plural["speaker"] == "Jeunes Commerçants de Voiron"


def test_a_description_of_the_institution_that_just_spoke():
    text = ("L'Observatoire régional de l'air a annoncé lundi un pic de pollution. Selon "
            "l'organisme, les particules fines dépassent le seuil d'alerte. Pour la police, "
            "aucun contrôle n'est prévu.")
    announced, described, police = found(text)
    assert described["source"] == "l'organisme"
    assert described["speaker"] == announced["speaker"] == "Observatoire régional de l'air"
    assert police["speaker"] is None  # another kind of body: not the one that spoke


def test_speaker_not_named_in_its_own_quote_and_broader_role_nouns():
    text = ("Le procureur Hugo Brossard a pris la parole. « Monsieur Lefort a menti à tous », "
            "a-t-il lancé. Le magistrat a requis deux ans de prison. Marta Solé, porte-parole "
            "de l'association Terre Vive, accuse la mairie de négligence.")
    incise, broader, named = found(text)
    assert incise["speaker"] == "Hugo Brossard"
    assert broader["source"] == "Le magistrat" and broader["speaker"] == "Hugo Brossard"
    assert named["speaker"] == "Marta Solé"


def test_reporting_verbs_and_adverbials_inside_the_verb_group():
    text = ("Le prévenu a reconnu les faits. Il a en revanche nié toute préméditation. La "
            "syndicaliste Claire Vigier relève que les salaires stagnent. Elle martèle que "
            "rien n'a changé. Le ministère a avancé le chiffre de 300 postes.")
    cues = [" ".join(a["cue"]) for a in found(text)]
    assert cues == ["a reconnu", "a nié", "relève", "martèle", "a avancé"]  # "en revanche": no role


def test_bodies_by_kind_names_and_beliefs():
    text = ("Le Tribunal administratif de Nantes a été saisi. Selon la juridiction, "
            "le permis est valable. Le CHU de Brest reste fermé. L'établissement a confirmé "
            "que les urgences rouvriraient lundi. La présidente de la région Grand Est, Lucie "
            "Marchal, s'est exprimée. Elle a assuré que les aides suivraient. La France "
            "insoumise a dénoncé un recul. D'après le comité des riverains du Port Vieux, le "
            "bruit augmente. L'association de locataires CNL a calculé que les loyers "
            "montaient. Le délégué syndical est convaincu que l'usine fermera.")
    court, hospital, region, party, committee, acronym, belief = found(text)
    assert court["source"] == "la juridiction"
    assert court["speaker"] == "Tribunal administratif de Nantes"
    assert hospital["speaker"] == "CHU de Brest"
    assert region["speaker"] == "Lucie Marchal"  # not "Grand Est", a region
    assert party["speaker"] == "France insoumise"
    assert committee["speaker"] == "Comité des riverains du Port Vieux"
    assert acronym["speaker"] == "CNL"
    assert belief["cue"] == ["est convaincu"] and belief["source"] == "Le délégué syndical"


def test_apposed_names_datelines_and_first_names_of_local_news():
    text = ("Rennes - Le Conseil régional a voté le budget. « Le compte n'y est pas », a "
            "résumé le président du groupe, Yann Kerhervé, devant la presse. « Tout augmente », "
            "soupire Sandrine, 38 ans, venue chercher sa fille. Kevin R., 29 ans, comparaissait "
            "mardi. Il a reconnu les faits. Pour le rapporteur général du texte, Marc Olivier "
            "Dantec, la copie est à revoir.")
    apposed, aged, initial, pour = found(text)
    assert apposed["source"] == "le président du groupe, Yann Kerhervé"
    assert apposed["speaker"] == "Yann Kerhervé"
    assert aged["speaker"] == "Sandrine" and initial["speaker"] == "Kevin R."
    assert pour["cue"] == ["Pour"] and pour["speaker"] == "Marc Olivier Dantec"


def test_documents_speak_for_their_author_and_acronyms_spelt_by_initials():
    text = ("Selon une estimation publiée vendredi par l'Observatoire des loyers, les prix "
            "baissent. Le parquet national financier (PNF) a ouvert une enquête. Le PNF "
            "soupçonne un détournement. La ministre de la Mer et de la Pêche, Awa Diallo, a "
            "annoncé un audit des licences. D'après le dernier bilan de la préfecture de "
            "l'Aude, deux routes sont coupées.")
    estimate, acronym, minister, report = found(text)
    assert estimate["speaker"] == "Observatoire des loyers"
    assert acronym["source"] == "Le PNF" and acronym["speaker"] == "parquet national financier"
    assert minister["source"] == "La ministre de la Mer et de la Pêche, Awa Diallo"
    assert minister["speaker"] == "Awa Diallo"
    assert report["speaker"] == "Préfecture de l'Aude"


def test_fullest_names_authors_and_a_reaction_followed_by_its_own_speaker():
    text = ("La ministre de la Pêche, Awa Ndiaye Sarr, était à Kayar. « Rien ne sera "
            "laissé au hasard », a déclaré Mme Ndiaye Sarr. Selon une note du port consultée "
            "par l'AFP, les prises ont baissé. D'après l'association de pêcheurs Mer Vivante de "
            "Kayar, la saison est perdue. Le gouvernement a réagi mardi. Le ministre de "
            "l'Économie, Paul Diop, a dit son inquiétude.")
    honorific, note, association, minister = found(text)
    assert honorific["speaker"] == "Awa Ndiaye Sarr"
    assert note["speaker"] is None  # the agency read the note; it did not write it
    assert association["speaker"] == "Mer Vivante de Kayar"
    assert minister["source"] == "Le ministre de l'Économie, Paul Diop"
    assert minister["speaker"] == "Paul Diop"


def test_the_byline_author_is_no_one_quoted():
    text = ("Lorient : une joggeuse mordue par un chien\n\nPar Hélène Marquet | Le Courrier | "
            "02/03/2026\n\nJulie Garnier, 41 ans, courait sur la plage. La joggeuse dit avoir "
            "eu très peur.")
    [said] = found(text)
    assert said["source"] == "La joggeuse" and said["speaker"] == "Julie Garnier"


def test_long_subjects_and_people_described_by_agent_nouns():
    text = ("L'étude publiée ce jeudi par l'Université libre de Bruxelles (ULB) montre que "
            "l'air des classes est pollué. Le glaciologue Lukas Brunner a présenté les "
            "mesures. Le chercheur rappelle que les glaciers fondent.")
    study, researcher = found(text)
    assert study["source"] == "L'étude publiée ce jeudi par l'Université libre de Bruxelles (ULB)"
    assert study["speaker"] == "Université libre de Bruxelles"
    assert researcher["speaker"] == "Lukas Brunner"


def test_official_bodies_named_in_lower_case_and_institutions_after_an_elided_article():
    text = ("Vigilance crues dans le Gard\n\nPar Marc Roux | ici Gard Lozère | 24/11/2026\n\n"
            "L'agence régionale de santé a confirmé la fermeture. La direction académique "
            "de la Nièvre assure que la classe rouvrira. La gendarmerie du Loiret a lancé un "
            "appel à témoins. L'Autorité de la concurrence a annoncé une amende. L'institution "
            "estime que l'entente a duré quatre ans. Le centre hospitalier de Saint-Dié a "
            "indiqué que les urgences fermeraient. La direction des Papeteries de l'Aisne a "
            "fait savoir qu'elle ne commenterait pas. La préfète du Gard, Anne Vidal, a réuni "
            "la cellule de crise. Elle demande aux habitants de rester chez eux.")
    speakers = [a["speaker"] for a in found(text)]
    assert speakers == ["Agence régionale de santé", "Direction académique de la Nièvre",
                        "Gendarmerie du Loiret", "Autorité de la concurrence",
                        "Autorité de la concurrence", "Centre hospitalier de Saint-Dié",
                        "Papeteries de l'Aisne", "Anne Vidal"]


def test_bodies_named_by_their_acronym_alone_answer_to_their_kind():
    text = ("Les enseignants de la FSU défilaient jeudi, avec un PIB en berne. Le syndicat "
            "estime que les salaires doivent augmenter. Le groupe Renault a publié ses "
            "comptes. L'entreprise estime que la reprise viendra.")
    assert [a["speaker"] for a in found(text)] == ["FSU", "Renault"]


def test_names_with_et_a_surname_inside_a_company_and_a_noun_after_dernière():
    text = ("Fabienne Morvan, déléguée CGT, mène la grève. La direction de Transports Morvan "
            "assure que les salaires seront revus. La Fédération des exportateurs de vins et "
            "spiritueux estime que le marché chinois reste fermé. La dernière note de "
            "conjoncture de l'Insee table sur une croissance de 0,4 %. Ce dernier dit avoir "
            "tout essayé.")
    said = found(text)
    assert [(a["source"], a["speaker"]) for a in said[:3]] == [
        ("La direction de Transports Morvan", "Transports Morvan"),
        ("La Fédération des exportateurs de vins et spiritueux",
         "Fédération des exportateurs de vins et spiritueux"),
        ("La dernière note de conjoncture de l'Insee", "Insee")]
    assert said[3]["source"] == "Ce dernier" and said[3]["cue"] == ["dit"]


def test_a_document_speaks_for_the_author_named_with_it_and_on_for_its_institution():
    text = ("Selon une enquête de l'Inserm publiée jeudi, les riverains sont exposés. "
            "L'étude montre que les enfants sont les plus touchés. « La situation est sous "
            "contrôle », assure-t-on au ministère de la Santé. Les deux ministres se saluent "
            "à peine.")
    said = found(text)
    assert [(a["source"], a["speaker"]) for a in said] == [
        ("une enquête de l'Inserm publiée jeudi", "Inserm"), ("L'étude", "Inserm"),
        ("on", "Ministère de la Santé")]


def test_a_source_after_an_addressee_and_no_acronym_for_an_unrelated_kind():
    text = ("La CGT appelle à la grève. « Nous suivons la situation », a indiqué à l'AFP "
            "le porte-parole du ministère, Paul Ferrand. Le rectorat assure que les classes "
            "auront un enseignant.")
    said = found(text)
    assert [(a["source"], a["speaker"]) for a in said] == [
        ("La CGT", "CGT"), ("le porte-parole du ministère, Paul Ferrand", "Paul Ferrand"),
        ("Le rectorat", None)]


def test_an_institution_that_spoke_answers_to_its_kind_and_on_beside_it():
    text = ("Santé publique France alerte sur la hausse des décès. Dans son rapport, "
            "l'agence sanitaire souligne que les plus âgés sont touchés. Le document "
            "recommande d'ouvrir des salles rafraîchies. Du côté de la préfecture du Gard, "
            "on assure que le plan a fonctionné.")
    assert [a["speaker"] for a in found(text)] == [
        "Santé publique France", "Santé publique France", "Santé publique France",
        "Préfecture du Gard"]


def test_an_acronym_spelt_over_a_hyphen_and_anonymity_is_no_content():
    text = ("Le Comité international de la Croix-Rouge (CICR) déplore un accès limité. "
            "L'organisation humanitaire réclame des visites. Un diplomate européen, qui a "
            "requis l'anonymat, estime que rien ne bougera.")
    said = found(text)
    assert [(a["source"], a["speaker"]) for a in said][1:] == [
        ("L'organisation humanitaire", "Comité international de la Croix-Rouge"),
        ("Un diplomate européen", None)]
    assert said[2]["cue"] == ["estime"]


def test_names_in_appositions_titles_and_unions():
    text = ("« Rien ne bougera », a prévenu le chef de la mission, l'économiste portugais Nuno "
            "Sequeira. Pour Kadri Lepik, chercheuse à Tallinn, « la ligne est franchie ». "
            "L'ONG Reporters du Monde Libre dénonce une « parodie de procès ». Le quotidien "
            "argentin La Nación affirme que l'accord est mort. L'union départementale CGT de "
            "l'Isère a dénoncé un licenciement. Un rapport de l'agence, que l'AFP a pu "
            "consulter, indique que deux inspecteurs ont été écartés.")
    said = found(text)
    assert [a["speaker"] for a in said] == [
        "Nuno Sequeira", "Kadri Lepik", "Reporters du Monde Libre", "La Nación",
        "Union départementale CGT de l'Isère", None]
    assert said[0]["source"] == "le chef de la mission, l'économiste portugais Nuno Sequeira"
    assert said[-1]["source"] == "Un rapport de l'agence"


def test_first_names_of_many_origins_and_kin_as_descriptions():
    text = ("Samir Belkacem, 34 ans, est rejugé en appel. Il affirme n'avoir « rien vu ». "
            "Morgane Gouézec, la sœur de la victime, a quitté la salle. La sœur cadette de la "
            "victime dénonce « un mensonge ».")
    said = found(text)
    assert [a["speaker"] for a in said] == ["Samir Belkacem", "Morgane Gouézec"]


def test_a_description_in_the_title_points_ahead():
    text = ("Drogue à Nantes : « un coup dur », selon le procureur\n\nPar Léa Morin | Ouest "
            "Matin | 12/03/2026\n\nLe procureur de la République, Frédéric Aubertin, a détaillé "
            "l'opération. Il estime que le réseau est démantelé.")
    assert [a["speaker"] for a in found(text)] == ["Frédéric Aubertin"] * 3


def test_on_at_an_institution_and_a_negated_infinitive_after_dit():
    text = ("Les résultats sont tombés. Au ministère de l'Agriculture, on indique « prendre "
            "connaissance des résultats ». Le jeune homme dit ne plus sortir le soir.")
    said = found(text)
    assert said[0]["speaker"] == "Ministère de l'Agriculture"
    assert said[1]["cue"] == ["dit"] and said[1]["content"] == ["ne plus sortir le soir"]


def test_mixed_case_acronyms_a_name_ending_in_an_auxiliary_and_an_audience():
    text = ("L'Agence nationale de sécurité sanitaire (Anses), chargée des analyses, précise "
            "que les canards étaient vaccinés. Le quotidien italien Corriere della Sera affirme "
            "que le Qatar a joué un rôle. « Merci à tous », a déclaré devant la presse le "
            "procureur de la République d'Albi, Bertrand Sicard.")
    said = found(text)
    assert [a["speaker"] for a in said] == [
        "Agence nationale de sécurité sanitaire", "Corriere della Sera", "Bertrand Sicard"]
    assert said[1]["cue"] == ["affirme"]


def test_a_first_name_after_an_organisation_noun_an_elder_sister_and_a_company_management():
    text = ("« La mairie ment », accuse la conseillère municipale d'opposition Gwenaëlle Trémel. "
            "Elle réclame un audit. « Elle attendait », raconte sa sœur aînée, Aurélie "
            "Marchetti. La CGT dénonce un accord au rabais à la mutuelle Mutualia. La direction "
            "assure que les salaires suivront. Selon l'agence officielle Ria Novosti, Moscou riposte.")
    said = found(text)
    assert [a["speaker"] for a in said] == [
        "Gwenaëlle Trémel", "Gwenaëlle Trémel", "Aurélie Marchetti", "CGT", "Mutualia",
        "Ria Novosti"]


def test_a_team_s_study_its_authors_and_the_magistrates_of_the_cour_des_comptes():
    text = ("Pendant deux ans, une équipe de l'Université de Montréal a suivi 4200 élèves. "
            "L'étude montre que les écrans retardent le sommeil. Les chercheurs estiment que "
            "les cours devraient commencer plus tard. La Cour des comptes a publié son rapport. "
            "Les magistrats financiers jugent que le déficit dérape.")
    assert [a["speaker"] for a in found(text)] == [
        "Université de Montréal", "Université de Montréal", "Cour des comptes"]


def test_a_company_named_by_a_company_word_answers_to_la_direction():
    text = ("Le site de Valmeca Industries fermera en juin. La direction assure que les "
            "salariés seront reclassés.")
    assert [a["speaker"] for a in found(text)] == ["Valmeca Industries"]
