"""Words about people that speaker resolution reads: first names with their gender, the
honorifics and name particles, the nouns that describe a person ("le pédiatre", "the
lawyer"), anaphoric phrases ("ce dernier", "celle-ci", "l'intéressée") and the gender that
a description's words carry.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from workbench.quotes.lexicon import TITLES
from workbench.quotes.tokens import Token


@lru_cache(maxsize=8192)
def _folded(word: str) -> str:
    """A word in lower case without its accents ("Gwénaël" -> "gwenael")."""
    return unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()


FIRST_NAMES = {_folded(name): gender for names, gender in (
    ("marie anne sophie claire isabelle catherine nathalie christine sylvie valérie julie "
     "camille léa manon emma chloé sarah laura céline aurélie caroline élisabeth elisabeth "
     "agnès ségolène marine martine françoise monique hélène laurence véronique sandrine "
     "stéphanie émilie pauline charlotte lucie alice louise jeanne margaux inès clara mathilde "
     "élise juliette amélie virginie patricia brigitte nicole hillary elizabeth nancy kamala "
     "jennifer susan mary karen lisa michelle angela ursula theresa jane anna maria élodie "
     "audrey mélanie delphine florence corinne karine rachida najat fatima yasmina leïla "
     "aurore clémence estelle gaëlle solène noémie zoé jade océane eva nadia samia carole "
     "malika aïcha amina khadija salma yasmine myriam meriem sonia farida djamila rania "
     "elena irina olga natalia svetlana tatiana ioana ana mariana sofia giulia chiara "
     "francesca paola laure mireille odile colette danielle josiane geneviève bernadette "
     "joëlle annie chantal ghislaine huguette yvette simone germaine denise "
     "marion morgane anaïs justine elsa lola romane ambre alix victoire capucine apolline "
     "héloïse constance eugénie adèle rose lina nina maya alicia andrea barbara cécile "
     "claudine danièle evelyne fabienne gisèle hortense ingrid jacqueline juliane katia "
     "lætitia laetitia lydie magali maryse maud nadine noëlle pascale raphaëlle régine "
     "rosalie roxane suzanne sylvaine thérèse valentine vanessa violaine yolande zineb "
     "fatoumata aminata mariama awa binta ngozi chioma emily jessica ashley amanda stephanie "
     "rebecca rachel hannah olivia sophia megan lauren betsy debbie diane donna helen joan "
     "judith linda margaret patricia ruth sandra sharon shirley janet carla deborah kate "
     "katherine kathleen kelly kimberly melania ivanka chelsea nikki sheila ayşe fatma "
     "zeynep emine elif leyla merve katarzyna agnieszka magdalena ewa anja petra greta "
     "ingrid astrid marta beatriz carmen lucía pilar rocío isabel teresa daria rasa kaja "
     "annabelle ginette paulette jeannine lucienne georgette marcelle odette josiane "
     "marie-hélène marie-claire anne-marie lucile aude bérénice coralie "
     "flavie gwenaëlle jocelyne laurine léonie maëlle marina mélissa nolwenn ophélie "
     "perrine priscilla sabrina séverine sylviane tiphaine vanina wendy "
     "karima samira nora sarah sara inès ines lyna hind houria soraya kenza fadila naïma "
     "nawel yamina latifa souad zohra dounia ikram imane salima sihem amel assia chaïma "
     "hajar lamia malak nour fatou khady ndèye ndeye aïssatou oumou kadiatou mariam rokia "
     "rokhaya coumba astou bintou adaeze maylis gaëtane ségolène blandine solange ludmila "
     "lioudmila ekaterina anastasia oksana yulia ioulia losana nathalie sylvie catherine "
     "isabelle martine monique brigitte véronique christine hélène claire sophie julie "
     "camille manon léa chloé emma clara louise alice sandrine stéphanie virginie céline "
     "aurélie émilie caroline amélie agnès béatrice mathilde charlotte pauline lucie "
     "christiane michèle sabrine léna mila agathe romy iris louna amandine elodie emmanuelle "
     "muriel yvonne jeanine henriette raymonde lucette arlette josette éliane liliane eliane "
     "rolande roseline bénédicte blanche éléonore eleonore flore gabrielle gwendoline "
     "joséphine maëlys maelys margot pénélope salomé sixtine stella armelle gwenola "
     "soizic maïwenn enora katell anne-laure anne-sophie marie-christine marie-france "
     "marie-laure marie-pierre marie-noëlle berthe édith edwige ève fanny félicie flora "
     "léone lise louisa madeleine marianne marielle marjorie marthe mélodie micheline nadège "
     "nelly orane paloma pascaline rébecca sabine tamara viviane yaëlle clémentine ombeline "
     "philippine domitille albane bertille isaure soline anouk élisa ella louane léonor lilou "
     "emmy aline alexandra alexia axelle charline cindy coline daphné émeline eloïse florine "
     "joanna johanna julia laëtitia laurie leslie lorène ludivine maëva manuela marjolaine "
     "maryline mégane mélina naomi tiffany christelle annick véra", "f"),
    ("samir nordine noureddine redouane reda yanis yassine yacine ilyes ilias walid sami "
     "salim slimane saïd said abdel abdelkader abdelaziz abdallah mounir nassim riad riyad "
     "kamel kader djamel malik mohammed hicham hakim tarik tarek zakaria younes anis adel "
     "aziz brahim oumar modou abdoulaye souleymane lamine ibrahima babacar alioune serigne "
     "nuno joão tiago rui paulo tomás tomas rodrigo gonzalo alejandro andrés santiago "
     "gilbert dimitri oleksandr volodymyr vitali taras piotr tomasz krzysztof lars erik "
     "niels adam ethan timéo joel gaetan gwenaël ronan mathias jérémy jeremy rémy grégoire "
     "yvon guy erwann goulven yvonnick jean-yves jean-baptiste pierre-yves "
     "jean pierre paul marc michel philippe alain nicolas françois emmanuel jacques louis "
     "thomas julien antoine olivier laurent éric eric christophe stéphane david sébastien "
     "vincent frédéric patrick bruno gérald gabriel édouard bernard daniel hugo lucas maxime "
     "mathieu yves luc marcel georges henri xavier benoît raphaël donald joe barack bernie "
     "ted mike john tom bill chris marco jeb mitt vladimir xi jinping boris olaf karim ahmed "
     "mohamed rachid youssef mehdi samuel simon arnaud guillaume romain damien cédric fabien "
     "jérôme didier gilles thierry pascal lionel manuel jordan éloi adrien "
     "théo léo nathan baptiste quentin tim james robert michael william richard charles "
     "joseph kevin kévin brian george ronald mitch chuck rand ben yannick gérard rené roger "
     "andré claude serge hervé denis franck fabrice jean-claude christian francis gaston "
     "raymond robert lucien albert émile victor félix jules arthur léon maurice gustave "
     "alexandre alexis anthony benjamin bertrand cyril dylan florian grégory jonathan kylian "
     "loïc ludovic matthieu mickaël michaël morgan noël régis rémi sylvain tristan valentin "
     "william yann yoann hamid farid nabil omar ali hassan hussein khalid mustapha sofiane "
     "amine bilal ibrahim moussa mamadou ousmane abdou cheikh boubacar seydou amadou "
     "andreï andrei dmitri sergueï sergei ivan igor mikhaïl mikhail alexeï nikolaï youri "
     "kemal mehmet mustafa ahmet recep emre can burak hakan murat "
     "giuseppe giovanni luca marco matteo lorenzo antonio carlos josé juan miguel pedro pablo "
     "diego javier manuel rafael luis jorge fernando sergio klaus hans jürgen wolfgang "
     "friedrich stefan andreas markus matthias peter tobias piotr tomasz krzysztof jan "
     "lars erik sven nils mark steve steven paul gary larry jerry harry jack jeff jim "
     "justin kenneth matt newt patrick ryan scott sean todd tony wayne ed al rudy rudolph "
     "mikhaïl viktor volodymyr petro aurélien tomas frédérick gilles-henri jean-marie "
     "jean-luc jean-louis jean-paul jean-françois jean-michel jean-philippe jean-yves "
     "marc-antoine pierre-yves pierre-henri paul-henri benoit clément corentin erwan gaël "
     "gaëtan hadrien jean-baptiste josselin killian malo marius martin mathis maël nolan "
     "octave timothée titouan ulysse valère basile côme enzo evan ewen ilyes lenny liam "
     "marin noah sacha tanguy teddy thibault thibaut tristan axel bastien florent gautier "
     "hector hippolyte jacky jimmy joël josé kilian laurent-xavier lilian ludovic mathéo "
     "hubert honoré aymeric amaury anatole augustin barthélemy blaise brice clovis cyprien "
     "edmond élie elliot ernest étienne ferdinand firmin gaspard gauthier geoffroy germain "
     "gildas gonzague guilhem harold hugues jérémie joachim jocelyn judicaël léandre léonard "
     "loïs maxence médéric nathanaël norbert patrice philibert pierrick raoul renaud roland "
     "romuald ruben séverin siméon stanislas sylvestre théodore théophile thibaud valéry "
     "victorien virgile wilfried yohann youenn zacharie gérôme alban armand christopher edgar "
     "gabin marceau maximilien roméo sylvère ulrich wilfrid yanick yannis", "m"))
    for name in names.split()}

# Honorifics written right before a name, abbreviated ("M.", "Mme", "Dr") or not.
HONORIFICS = {"m": "m", "mm": "p", "monsieur": "m", "mr": "m", "mme": "f", "mmes": "p",
              "madame": "f", "mlle": "f", "mademoiselle": "f", "mrs": "f", "ms": "f",
              "miss": "f", "me": "", "maître": "", "dr": "", "docteur": "", "pr": "",
              "professeur": "", "sir": "m", "lady": "f", "dame": "f", "dre": "f", "pre": "f",
              "docteure": "f", "professeure": "f"}
# Capitalised words that are no part of a person's name.
NOT_PERSON = frozenset({
    "times", "post", "news", "house", "service", "department", "party", "committee", "sommet",
    "jeux", "traité", "union", "nations", "court", "street", "journal", "press", "agency",
    "ministère", "république", "états", "etats", "unis", "united", "states", "congress", "senate",
    "cnn", "fox", "msnbc", "nbc", "abc", "cbs", "bbc", "afp", "reuters", "republican",
    "republicans", "democratic", "democrats", "democrat", "gop", "assemblée", "parti", "conseil",
    "centre", "center", "university", "université", "institute", "institut", "new", "york",
    "washington", "america", "american", "americans", "europe", "france", "chine", "russie",
    "china", "russia", "pékin", "moscou", "paris", "london", "londres", "beijing", "moscow",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february", "march", "april",
    "june", "july", "august", "september", "october", "november", "december", "janvier", "février",
    "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "foundation", "fondation", "bank", "banque", "club", "group", "groupe", "school",
    "école", "hospital", "hôpital", "council", "commission", "office", "bureau", "ville", "city",
    "county", "region", "région", "ministry", "ministre", "tower", "campaign", "white", "national",
    "nationale", "clinic", "clinique",
})
# Words after an institution's name that are not part of it ("the RNC this week").
AFTER_NAME = frozenset({"this", "last", "next", "week", "month", "year", "today", "on", "in", "at",
                        "officials", "aides", "staff", "members", "leaders", "which", "that",
                        "who", "has", "have", "had", "was", "were", "is", "are", "will", "would",
                        "also", "did", "does", "not", "said", "says"})
DAYS = frozenset({"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier",
                  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                  "yesterday"})
# Capitalised at the head of a sentence, never a name ("In an interview", "Would you").
FUNCTION_WORDS = frozenset({"in", "on", "at", "would", "will", "could", "should", "when", "while",
                            "after", "before", "if", "as", "but", "and", "although", "though",
                            "some", "many", "most", "both", "other", "others", "it", "you", "what",
                            "why", "how", "early", "later", "dans", "quand", "lorsque", "si",
                            "mais", "après", "avant", "pour", "avec", "sans", "en"})
# Documents that speak for their named author ("une étude de l'Insee", "a Gallup poll").
EVIDENCE = frozenset({"étude", "enquête", "rapport", "sondage", "analyse", "note", "document",
                      "chiffres", "données", "bilan", "estimation", "estimations", "relevé",
                      "relevés", "constatations", "projections", "prévisions", "baromètre",
                      "statistiques", "audit", "expertise", "communiqué", "conclusions",
                      "study", "report", "survey", "poll", "analysis", "memo", "figures",
                      "data", "estimates", "statement", "findings"})
# Who heads or speaks for an organisation: "le directeur général de X", "le patron de X"
# name an organisation, not a person.
HEADS = frozenset({"directeur", "directrice", "pdg", "patron", "patronne", "fondateur",
                   "fondatrice", "dirigeant", "dirigeante", "porte-parole", "parole",
                   "cofondateur", "cofondatrice", "président-directeur"})
SPOKESPEOPLE = frozenset({"spokesperson", "spokesman", "spokeswoman", "representative", "porte",
                          "parole", "représentant", "représentante", "spokespeople"})
# Abbreviated titles and the role they stand for ("Gov. Webb" is "the governor").
EXPANSIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
              "lt": "lieutenant", "col": "colonel", "sgt": "sergeant", "pres": "president",
              "dr": "docteur", "pr": "professeur", "me": "avocat", "dre": "docteure",
              "pre": "professeure"}
# Lower-case words inside a name ("Charles de Gaulle", "Ursula von der Leyen").
PARTICLES = frozenset({"de", "du", "des", "d", "van", "von", "der", "den", "da", "di", "del",
                       "della", "dos", "bin", "ben", "ibn", "al", "el", "le", "la", "ter"})
# Nouns for a person by what they do or are, beyond the titles of ``lexicon.TITLES``.
_FRENCH_ROLES = frozenset("""
guide universitaire sœur frère cousin cousine oncle tante neveu nièce veuve veuf compagnon
compagne conjoint conjointe
adversaire rival rivale partenaire coéquipier coéquipière supporter supportrice supporteur
artisan artisane praticien praticienne soignant soignante pêcheur pêcheuse chasseur
chasseuse cheminot cheminote conducteur conductrice chauffeur routier routière maraîcher
maraîchère paysan paysanne exploitant exploitante producteur productrice réalisateur
interlocuteur interlocutrice homologue successeur prédécesseur opposant opposante
technicien technicienne défenseur défenseuse attaquant attaquante gardien gardienne
capitaine milieu arbitre pédiatre infirmier infirmière chirurgien chirurgienne urgentiste
pneumologue cardiologue psychiatre psychologue généraliste vétérinaire pharmacien
pharmacienne musicien musicienne artiste chanteur chanteuse comédien comédienne acteur
actrice réalisateur réalisatrice cinéaste romancier romancière poète photographe peintre
sculpteur architecte ingénieur ingénieure officier officière lieutenant capitaine colonel
commandant sergent gendarme pompier pompière magistrat magistrate édile élu élue
agriculteur agricultrice éleveur éleveuse viticulteur viticultrice vigneron vigneronne
commerçant commerçante boulanger boulangère restaurateur restauratrice gérant gérante
propriétaire locataire habitant habitante riverain riveraine retraité retraitée étudiant
étudiante lycéen lycéenne salarié salariée ouvrier ouvrière employé employée cadre
délégué déléguée syndicaliste représentant représentante négociateur négociatrice
diplomate ambassadeur ambassadrice consul émissaire envoyé envoyée médiateur médiatrice
sénateur sénatrice parlementaire eurodéputé eurodéputée rapporteur rapporteure
présidente vice-président vice-présidente trésorier trésorière secrétaire président
porte-parole dirigeant dirigeante manager entraîneur entraîneuse sélectionneur
sélectionneuse coach joueur joueuse sportif sportive athlète coureur coureuse nageur
nageuse cycliste skieur skieuse pilote navigateur navigatrice alpiniste champion
championne ministre maire adjoint adjointe premier première chancelier chancelière
procureur procureure procureure juge avocat avocate notaire huissier huissière greffier
greffière enquêteur enquêtrice inspecteur inspectrice commissaire préfet préfète
sous-préfet sous-préfète recteur rectrice proviseur proviseure directeur directrice
principal principale instituteur institutrice enseignant enseignante professeur
professeure chercheur chercheuse scientifique biologiste climatologue épidémiologiste
virologue démographe géographe urbaniste économiste sociologue politologue historien
historienne philosophe juriste constitutionnaliste analyste consultant consultante expert
experte fondateur fondatrice patron patronne pdg entrepreneur entrepreneuse créateur
créatrice inventeur inventrice candidat candidate militant militante activiste
bénévole organisateur organisatrice curateur commissaire-priseur conservateur
conservatrice bibliothécaire libraire éditeur éditrice journaliste reporter chroniqueur
chroniqueuse rédacteur rédactrice maestro chef cheffe cuisinier cuisinière écrivain
écrivaine auteur autrice homme femme quinquagénaire sexagénaire septuagénaire
octogénaire trentenaire quadragénaire jeune intéressé intéressée victime témoin
plaignant plaignante prévenu prévenue accusé accusée suspect suspecte détenu détenue
socialiste écologiste centriste communiste insoumis insoumise
survivant survivante rescapé rescapée mère père fille fils veuve veuf épouse époux
voisin voisine productrice producteur rapporteure gardienne berger bergère comptable
religieux lauréat lauréate mari skipper curé prêtre évêque
rabbin moine élève
""".split())
_ENGLISH_ROLES = frozenset("""
lawyer attorney prosecutor judge doctor physician nurse surgeon teacher principal
officer sheriff detective sergeant captain lieutenant colonel commander soldier veteran
farmer owner resident student worker employee manager executive director chairman
chairwoman spokesman spokeswoman spokesperson senator congressman congresswoman
representative governor mayor minister secretary ambassador diplomat envoy negotiator
economist analyst researcher scientist professor historian author writer novelist poet
artist musician singer actor actress filmmaker coach player athlete champion founder
entrepreneur activist organizer volunteer candidate nominee pastor priest bishop rabbi
imam man woman victim witness survivor mother father daughter son widow wife husband
lawmaker legislator neighbor neighbour latter former old democrat republican conservative liberal independent libertarian
""".split())
ROLE_NOUNS = _FRENCH_ROLES | _ENGLISH_ROLES | TITLES
# Anaphoric descriptions: (words) -> gender ("m", "f", "p") of the person they point back to.
ANAPHORS = {("ce", "dernier"): "m", ("cette", "dernière"): "f", ("ces", "derniers"): "p",
            ("celui", "ci"): "m", ("celle", "ci"): "f", ("ceux", "ci"): "p",
            ("l", "intéressé"): "m", ("l", "intéressée"): "f", ("le", "premier"): "m",
            ("la", "première"): "f", ("le", "second"): "m", ("la", "seconde"): "f",
            ("the", "latter"): "", ("the", "former"): "", ("qui",): "", ("who",): ""}
INDEFINITE = frozenset({"un", "une", "des", "a", "an", "some", "plusieurs", "certains",
                        "certaines", "quelques", "deux", "trois", "nombreux", "many",
                        "several", "two", "three", "other", "autres", "d"})
_GENDERED = {"homme": "m", "femme": "f", "mère": "f", "père": "m", "fille": "f", "fils": "m",
             "veuve": "f", "veuf": "m", "épouse": "f", "époux": "m", "man": "m", "woman": "f",
             "mother": "f", "father": "m", "daughter": "f", "son": "m", "widow": "f",
             "wife": "f", "husband": "m", "actress": "f", "spokeswoman": "f",
             "spokesman": "m", "chairwoman": "f", "chairman": "m", "congresswoman": "f",
             "congressman": "m", "cheffe": "f", "mari": "m", "religieux": "m"}
_FEMININE_ENDINGS = (("trice", "teur"), ("euse", "eur"), ("ière", "ier"), ("ère", "er"),
                     ("ienne", "ien"), ("enne", "en"), ("ette", "et"), ("onne", "on"),
                     ("ée", "é"), ("te", "t"), ("de", "d"), ("ine", "in"), ("ve", "f"),
                     ("ure", "ur"), ("e", ""))


_AGENT_ENDINGS = ("iste", "logue", "aire", "ien", "ienne", "eur", "euse", "trice", "ier",
                  "ière", "ant", "ante", "naute", "graphe", "crate", "iatre", "icien",
                  "icienne")


def role_like(word: str) -> bool:
    """Whether a lower-case word is, or reads as, a noun for a person ("la pénaliste",
    "la septuagénaire", "le climatologue")."""
    return word in ROLE_NOUNS or (word.isalpha() and len(word) > 5 and word.islower()
                                  and word.endswith(_AGENT_ENDINGS))


# Nouns that name the same role ("l'édile" is the mayor, "le coach" the trainer).
_SYNONYMS = {"édile": "maire", "coach": "entraîneur", "technicien": "entraîneur",
             "sélectionneur": "entraîneur", "patron": "directeur", "pdg": "directeur",
             "locataire": "président", "attorney": "lawyer", "physician": "doctor"}
# A broader noun that also describes whoever a role noun describes ("le procureur" is "le
# magistrat"; "the senator" is "the lawmaker").
BROADER = {"procureur": "magistrat", "juge": "magistrat", "substitut": "magistrat",
           "sénateur": "parlementaire", "député": "parlementaire", "eurodéputé": "élu",
           "maire": "élu", "conseiller": "élu", "ambassadeur": "diplomate",
           "chercheur": "scientifique", "senator": "lawmaker", "congressman": "lawmaker",
           "congresswoman": "lawmaker", "representative": "lawmaker"}


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A role noun's masculine form, so that "avocate" and "avocat", "directrice" and
    "directeur" meet; a synonym's common form ("édile" -> "maire")."""
    return _masculine(_SYNONYMS.get(word, word))


def _masculine(word: str) -> str:
    for feminine, masculine in _FEMININE_ENDINGS:
        if word.endswith(feminine) and word[:-len(feminine)] + masculine in _FRENCH_ROLES:
            return word[:-len(feminine)] + masculine
    return word


def noun_gender(word: str) -> str | None:
    """"f" or "m" when a role noun's form says it ("avocate", "directeur"), else None."""
    if word in _GENDERED or word not in ROLE_NOUNS:
        return _GENDERED.get(word)
    base = _masculine(word)
    if base != word:
        return "f"
    if any(base[:-len(m)] + f in _FRENCH_ROLES for f, m in _FEMININE_ENDINGS
           if m and base.endswith(m)) or base + "e" in _FRENCH_ROLES:
        return "m"
    return None


def first_name_gender(word: str) -> str | None:
    """The gender of a first name, a compound one by its first part ("Anne-Sophie"), with
    or without its accents ("Gwénaël", "Gwenaël")."""
    word = _folded(word)
    return FIRST_NAMES.get(word) or FIRST_NAMES.get(word.split("-")[0])


# The gender a singular article or demonstrative gives the noun after it.
ARTICLE_GENDERS = {"la": "f", "une": "f", "cette": "f", "le": "m", "un": "m", "ce": "m",
                      "cet": "m"}
_ADJECTIVES = {"ancien": "m", "ancienne": "f", "nouveau": "m", "nouvelle": "f", "jeune": None}


def demonym(token: Token) -> str | None:
    """The gender of a capitalised inhabitant noun ("la Lyonnaise", "l'Ukrainienne")."""
    if not token.text[:1].isupper():
        return None
    for ending, gender in (("ienne", "f"), ("aise", "f"), ("oise", "f"), ("aine", "f"),
                           ("ien", "m"), ("ais", "m"), ("ois", "m"), ("ain", "m")):
        if token.low.endswith(ending) and len(token.low) > len(ending) + 2:
            return gender
    return None


def words_gender(words: list[str]) -> str | None:
    """"f" or "m" when the words before a name (or a description) say it, else None."""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        gender = noun_gender(word)
        if gender:
            return gender
        if word in _ADJECTIVES:
            return _ADJECTIVES[word]
        if word in ARTICLE_GENDERS and k + 1 < len(words) and words[k + 1] in ROLE_NOUNS:
            return ARTICLE_GENDERS[word]  # "la ministre", "le maire"
    return None
