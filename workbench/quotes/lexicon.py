"""Words the quote rules look for: reporting verbs (French and English), auxiliaries,
pronouns, titles and the words that end a noun phrase.

Verbs are listed once by their forms' stems; ``CUE_FORMS`` holds every inflected form
(lower case) that counts as a cue: says, said, saying; déclare, déclarent, déclarait,
a déclaré (the participle), déclara, déclarera...
"""

from __future__ import annotations

from workbench.quotes.verbs import load, present_participle, regular_forms

_WIDER = load()  # fr_verbs.tsv

# English reporting, belief and intention verbs: base form -> irregular forms (past, participle).
_EN_VERBS = {
    "say": ("said",), "tell": ("told",), "add": (), "note": (), "explain": (),
    "claim": (), "argue": (), "insist": (), "warn": (), "write": ("wrote", "written"),
    "report": (), "announce": (), "declare": (), "acknowledge": (), "admit": ("admitted",),
    "believe": (), "think": ("thought",), "want": (), "suggest": (), "ask": (), "reply": ("replied",),
    "respond": (), "contend": (), "predict": (), "promise": (), "vow": (), "deny": ("denied",),
    "accuse": (), "urge": (), "estimate": (), "expect": (), "hope": (), "fear": (),
    "know": ("knew", "known"), "recall": (), "stress": (), "emphasize": (), "confirm": (),
    "allege": (), "assert": (), "maintain": (), "concede": (), "complain": (), "charge": (),
    "tweet": (), "testify": ("testified",), "disclose": (), "reveal": (), "mock": (),
    "criticize": (), "praise": (), "call": (), "describe": (), "point": (), "agree": (),
    "worry": ("worried",), "doubt": (), "learn": ("learnt",), "show": ("shown",),
    "indicate": (), "find": ("found",), "conclude": (), "pledge": ("pledged",),
    "plan": ("planned",), "intend": (), "feel": ("felt",), "wonder": (), "decide": (),
    "demand": (), "recommend": (), "propose": (), "question": (), "remark": (), "observe": (),
    "acknowledged": (), "seek": ("sought",), "mean": ("meant",), "cite": (), "quip": ("quipped",),
    "joke": (), "brag": ("bragged",), "boast": (), "declined": (), "refuse": (),
    "support": (), "endorse": (), "oppose": (), "prefer": ("preferred",), "thank": (),
    "mention": (), "discuss": (), "defend": (), "appear": (), "seem": (), "see": ("saw", "seen"),
    "insinuate": (), "imply": ("implied",), "signal": (), "acknowledge": (), "recognize": (),
    "vote": (), "like": (), "dislike": (), "favor": (), "welcome": (), "blame": (),
    "dismiss": (), "reject": (), "question": (), "challenge": (), "attack": (),
}
EN_PHRASES = (("according", "to"), ("pointed", "out"), ("points", "out"), ("point", "out"))
# Verb and noun read together as one cue ("ont exprimé l'espoir de", "a fait savoir que").
_CHOSEN_PHRASES = tuple((verb, *rest) for verb in ("exprimé", "exprime", "expriment", "exprimait")
                   for rest in (("l", "’", "espoir"), ("l", "'", "espoir"), ("le", "souhait"),
                                ("sa", "crainte"), ("leur", "crainte"))) + (
    ("fait", "savoir"), ("mis", "en", "garde"), ("met", "en", "garde"), ("fait", "valoir"),
    ("fait", "remarquer"), ("fait", "état"), ("font", "valoir"), ("font", "état"),
    ("fait", "observer"), ("met", "en", "cause"), ("mis", "en", "cause"),
    ("mettent", "en", "cause"), ("met", "en", "doute"), ("mis", "en", "doute"),
    ("mettent", "en", "doute"), ("émis", "des", "réserves"), ("émet", "des", "réserves"))
# The wider lexicon's locutions count only before their content, as ``verbs`` says.
WIDER_PHRASES = frozenset(_WIDER.phrases) - set(_CHOSEN_PHRASES)
FR_PHRASES = _CHOSEN_PHRASES + tuple(sorted(WIDER_PHRASES))
# Reactions: their content is what the next sentence reports ("X a réagi ... . Y ...").
REACTIONS = frozenset({"réagi", "réagit", "réagissent", "reacted", "reacts"})
# Counterparts: the person facing the last speaker ("son homologue chinois").
COUNTERPARTS = frozenset({"homologue", "homologues", "counterpart", "counterparts"})

# Verbs that report an intention or an expectation only in their reflexive form.
_REFLEXIVE_VERBS = ("engager", "attendre")
# French verbs: infinitive -> irregular forms (present 3rd persons, imperfect stem, participle).
_FR_VERBS_ER = (
    "déclarer", "affirmer", "ajouter", "expliquer", "estimer", "indiquer", "souligner",
    "préciser", "assurer", "annoncer", "signaler", "juger", "rappeler", "dénoncer", "confier",
    "lancer", "marteler", "insister", "noter", "observer", "penser", "considérer", "souhaiter",
    "espérer", "raconter", "regretter", "déplorer", "avouer", "confirmer", "démentir",
    "réclamer", "demander", "constater", "estimer", "prévoir", "accuser", "critiquer",
    "féliciter", "réjouir", "inquiéter", "alerter", "plaider", "proclamer", "clamer",
    "commenter", "témoigner", "résumer", "insister", "relever", "jurer", "menacer",
    "exhorter", "appeler", "tweeter", "détailler", "nuancer", "conclure", "évoquer",
    "qualifier", "réagir", "répliquer", "rétorquer", "objecter", "certifier", "garantir",
    "s'interroger", "douter", "redouter", "avertir", "prévenir", "reconnaître", "dire",
    "écrire", "croire", "vouloir", "soutenir", "répondre", "craindre", "admettre",
    "promettre", "savoir", "mettre", "souligner", "réaffirmer", "rapporter", "contester",
    "exiger", "saluer", "exclure", "envisager", "requérir", "revendiquer", "s'indigner",
    "rêver", "soupçonner", "reprocher", "compter", "décrire", "poursuivre",
    "souffler", "lâcher", "sourire", "glisser", "soupirer", "ironiser", "plaisanter",
    "énumérer", "justifier", "s'agacer", "trancher", "s'emporter", "s'amuser", "s'étonner",
    "s'exclamer", "analyser", "assurer", "prôner", "réfuter", "défendre", "entendre",
    "invoquer", "nier", "souvenir", "tonner", "plaindre", "convenir", "rejeter", "recommander",
    "attribuer", "imputer", "anticiper", "ordonner", "calculer", "proposer", "suggérer",
    "préconiser", "fustiger", "répéter", "réitérer", "dévoiler", "révéler",
    "confesser", "relater", "protester", "s'insurger", "s'alarmer", "remercier", "approuver",
    "refuser", "prédire", "pronostiquer", "railler", "épingler", "tacler", "chiffrer",
    "évaluer", "enjoindre", "sommer", "implorer", "supplier", "prétendre",
    "arguer", "argumenter", "récuser", "écarter", "condamner", "applaudir", "s'offusquer",
    "interpeller", "convaincre", "persuader", "renchérir", "abonder", "acquiescer",
    "murmurer", "enchaîner", "reprendre", "continuer", "savourer", "pester", "fulminer",
    "avancer", "montrer", "pointer", "conseiller", "philosopher", "rigoler", "rire",
    *_REFLEXIVE_VERBS,
)
# Verbs that report speech only in an incise ("« ... », soupire-t-elle", "« ... », lâche X"):
# elsewhere they mean something else ("il lâche la corde").
_INCISE_VERBS = ("souffler", "lâcher", "sourire", "glisser", "soupirer", "ironiser",
                 "plaisanter", "s'agacer", "trancher", "s'emporter", "s'amuser", "analyser",
                 "poursuivre", "s'étonner", "s'exclamer", "entendre", "défendre", "tonner",
                 "renchérir", "abonder", "acquiescer", "murmurer", "enchaîner", "reprendre",
                 "continuer", "savourer", "pester", "fulminer", "philosopher", "rigoler",
                 "rire")
_FR_IRREGULAR = {
    "dire": ("dit", "disent", "disait", "disaient", "dit", "dira", "dirent", "dise", "dite",
             "dits", "dites"),
    "écrire": ("écrit", "écrivent", "écrivait", "écrivaient", "écrit", "écrira", "écrivit"),
    "croire": ("croit", "croient", "croyait", "croyaient", "cru", "croira", "crut"),
    "vouloir": ("veut", "veulent", "voulait", "voulaient", "voulu", "voudra", "voulut"),
    "soutenir": ("soutient", "soutiennent", "soutenait", "soutenaient", "soutenu", "soutint"),
    "répondre": ("répond", "répondent", "répondait", "répondaient", "répondu", "répondra"),
    "craindre": ("craint", "craignent", "craignait", "craignaient", "craindra"),
    "admettre": ("admet", "admettent", "admettait", "admis", "admettra"),
    "promettre": ("promet", "promettent", "promettait", "promis", "promettra"),
    "reconnaître": ("reconnaît", "reconnait", "reconnaissent", "reconnaissait", "reconnu"),
    "prévenir": ("prévient", "préviennent", "prévenait", "prévenu"),
    "avertir": ("avertit", "avertissent", "avertissait", "averti"),
    "conclure": ("conclut", "concluent", "concluait", "conclu"),
    "démentir": ("dément", "démentent", "démentait", "démenti"),
    "prévoir": ("prévoit", "prévoient", "prévoyait", "prévu"),
    "réjouir": ("réjouit", "réjouissent", "réjouissait", "réjoui", "réjouie"),
    "réagir": ("réagit", "réagissent", "réagissait", "réagi"),
    "savoir": ("fait savoir",),
    "exclure": ("exclut", "excluent", "excluait", "exclu", "exclue", "exclus", "exclues"),
    "requérir": ("requiert", "requièrent", "requérait", "requis", "requise"),
    "décrire": ("décrit", "décrivent", "décrivait", "décrivaient", "décrite"),
    "poursuivre": ("poursuit", "poursuivent", "poursuivait", "poursuivi"),
    "sourire": ("sourit", "sourient", "souriait", "souri"),
    "agacer": ("agace", "agacent", "agaçait", "agaçaient", "agacé", "agacée"),
    "entendre": ("entend", "entendent", "entendait"),
    "défendre": ("défend", "défendent", "défendait", "défendu"),
    "souvenir": ("souvient", "souviennent", "souvenait", "souvenaient", "souvenu"),
    "plaindre": ("plaint", "plaignent", "plaignait", "plaignaient"),
    "attendre": ("attend", "attendent", "attendait", "attendaient"),
    "convenir": ("convient", "conviennent", "convenait", "convenaient", "convenu"),
    "nier": ("nie", "nient", "niait", "niaient", "nié", "niée"),
    "compter": ("compte", "comptent", "comptait", "comptaient"),
    "prédire": ("prédit", "prédisent", "prédisait", "prédisaient", "prédira"),
    "prétendre": ("prétend", "prétendent", "prétendait", "prétendaient"),
    "convaincre": ("convaincu", "convaincue", "convaincus", "convaincues"),
    "persuader": ("persuadé", "persuadée", "persuadés", "persuadées"),
    "applaudir": ("applaudit", "applaudissent", "applaudissait", "applaudi"),
    "renchérir": ("renchérit", "renchérissent", "renchérissait", "renchéri"),
    "reprendre": ("reprend", "reprennent", "reprenait", "repris"),
    "enjoindre": ("enjoint", "enjoignent", "enjoignait"),
    "fulminer": ("fulmine", "fulminent", "fulminait", "fulminé"),
    "rire": ("rit", "rient", "riait", "riaient", "ri"),
    "mettre": ("mis en garde", "met en garde"),
}
FR_PREPOSITIONS = (("selon",), ("d", "’", "après"), ("d", "'", "après"), ("à", "en", "croire"),
                   ("pour",))


def _english_forms() -> set[str]:
    forms = set()
    for base, irregular in _EN_VERBS.items():
        forms.update(irregular)
        stem = base[:-1] if base.endswith("e") else base
        if base.endswith("y") and base[-2] not in "aeiou":
            forms.update({base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"})
            continue
        third = base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")
        forms.update({base, third, stem + "ed", stem + "ing"})
    return forms


def _french_forms(verbs=_FR_VERBS_ER) -> set[str]:
    forms = set()
    for verb in verbs:
        verb = verb.removeprefix("s'")
        if verb in _FR_IRREGULAR:
            forms.update(f for f in _FR_IRREGULAR[verb] if " " not in f)
        else:
            forms |= regular_forms(verb)
    return forms


# The verbs above, then the wider lexicon of fr_verbs.tsv (``verbs``) for the verbs they
# lack, each counted only where its use allows.
_LISTED = _french_forms()
# Present participles count only before their content, as the wider verbs ("..., estimant
# que ...", not "les manifestants").
_PARTICIPLES = {present_participle(v) for v in _FR_VERBS_ER
                if v.endswith("er") and v not in _FR_IRREGULAR} | _WIDER.participles | {"disant"}
NEEDS_CONTENT = (_WIDER.needs_content | _PARTICIPLES) - _LISTED
# Verbs that make the reporting verb after them their own ("a tenu à souligner", "se
# contente d'indiquer", "s'est borné à répondre"): form -> the preposition before it.
SEMI_AUXILIARIES = {**dict.fromkeys(("tient", "tiennent", "tenait", "tenaient", "tenu", "tenue",
                                     "tiendra"), "à"),
                    **dict.fromkeys(("borne", "bornent", "bornait", "borné", "bornée"), "à"),
                    **dict.fromkeys(("contente", "contentent", "contentait", "contenté",
                                     "contentée", "empresse", "empressé", "empressée",
                                     "empressent"), "de")}
CUE_INFINITIVES = frozenset({v.removeprefix("s'") for v in _FR_VERBS_ER} | _WIDER.infinitives)
INCISE_FORMS = frozenset(_french_forms(_INCISE_VERBS) | (_WIDER.incise - _LISTED))
REFLEXIVE_FORMS = frozenset(_french_forms(_REFLEXIVE_VERBS) | (_WIDER.reflexive - _LISTED))
# Forms that are cues right before the preposition they govern ("table sur"), some only
# when a quotation follows it ("parle d'« ... »").
GOVERNED = {form: p for form, p in _WIDER.governed.items() if form not in _LISTED}
QUOTED_GOVERNED = _WIDER.quoted - _LISTED
FRENCH_FORMS = frozenset(_LISTED | NEEDS_CONTENT | INCISE_FORMS | REFLEXIVE_FORMS)
CUE_FORMS = frozenset(_english_forms() | FRENCH_FORMS)
# Verb forms that are also common nouns or adjectives: a cue only after a subject or auxiliary.
AMBIGUOUS = frozenset({"note", "notes", "estime", "call", "calls", "show", "shows", "plan",
                       "plans", "hope", "hopes", "fear", "fears", "report", "reports", "claim",
                       "claims", "mean", "means", "point", "points", "question", "charge",
                       "charges", "found", "find", "finds", "feel", "want", "wants", "know",
                       "dit", "cru", "prévu", "mis", "lancé", "appel", "demande", "critique",
                       "accusé", "accusés", "déclarée", "qualifié", "détaillé", "noté", "doute",
                       "craint", "commenté", "résumé", "concern", "tweet", "learn", "state",
                       "states", "stated", "admis", "appelé", "jugé", "estimé", "souhait",
                       "réponse", "plans", "décidé", "avance", "avancent", "avancé", "montre",
                       "montres", "pointe", "pointes", "pointé", "conseillé", "demand",
                       "demands", "support", "supports", "vote", "votes", "like", "likes",
                       "see", "sees", "welcome",
                       "attack", "attacks", "challenge", "challenges", "signal", "signals",
                       "favor", "blame", "seem", "seems", "appear", "appears", "saw", "seen",
                       "thank", "thanks", "discuss", "reject", "dismiss", "defend", "mention"})

AUXILIARIES = frozenset({
    "has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "may", "might",
    "did", "does", "do", "be", "been", "being", "should", "must", "can", "also", "not", "never",
    "later", "previously", "already", "repeatedly", "reportedly", "publicly", "often",
    "a", "ont", "avait", "avaient", "aura", "auraient", "aurait", "est", "sont", "était",
    "été", "sera", "seront", "simplement", "clairement", "vivement", "longuement", "fermement",
    "finalement", "aussitôt", "bien", "toujours", "souvent", "pourtant", "rapidement",
    "s", "se", "’", "'", "également", "aussi", "déjà", "encore", "notamment", "pourtant",
    "ensuite", "toutefois", "ainsi", "alors", "pas", "ne", "n", "précédemment", "récemment",
    "plusieurs", "fois", "publiquement", "immédiatement", "néanmoins", "seulement", "cependant",
    "donc", "même", "surtout", "désormais", "enfin", "volontiers", "ouvertement", "aussi",
})
# Tokens before the participle that are never part of the cue.
ADVERBS = frozenset({"also", "later", "previously", "already", "repeatedly", "reportedly",
                     "publicly", "often", "not", "never", "également", "aussi", "déjà",
                     "encore", "notamment", "pourtant", "ensuite", "toutefois", "ainsi",
                     "alors", "précédemment", "récemment", "publiquement", "immédiatement",
                     "simplement", "clairement", "vivement", "longuement", "fermement",
                     "finalement", "aussitôt", "bien", "toujours", "souvent", "rapidement",
                     "néanmoins", "seulement", "cependant", "donc", "même", "surtout",
                     "désormais", "enfin", "volontiers", "ouvertement"})

PRONOUNS = {"il": "m", "elle": "f", "ils": "p", "elles": "p", "he": "m", "she": "f",
            "they": "p", "on": "p", "nous": "p", "we": "p", "je": "s", "i": "s", "lui": "m",
            "eux": "p", "him": "m", "her": "f", "them": "p"}
DETERMINERS = frozenset({"the", "a", "an", "le", "la", "les", "l", "un", "une", "des", "du",
                         "this", "that", "ce", "cet", "cette", "ces", "his", "her", "their",
                         "son", "sa", "ses", "leur", "leurs"})
TITLES = frozenset({
    "president", "senator", "sen", "governor", "gov", "rep", "representative", "minister",
    "secretary", "mayor", "candidate", "nominee", "chairman", "chief", "spokesman",
    "spokeswoman", "spokesperson", "leader", "congressman", "congresswoman", "speaker",
    "director", "ceo", "judge", "general", "adviser", "advisor", "official", "mr", "mrs", "ms",
    "dr", "président", "présidente", "ministre", "sénateur", "sénatrice", "député", "députée",
    "maire", "porte", "parole", "dirigeant", "dirigeante", "chef", "directeur", "directrice",
    "m", "mme", "candidat", "candidate", "chancelier", "chancelière", "premier", "première",
    "secrétaire", "responsable", "préfet", "préfète", "homologue", "conseiller", "conseillère",
    "juge", "procureur", "procureure", "avocat", "avocate", "commissaire", "gouverneur",
    # people described by what they do: "la syndicaliste", "the economist"
    "syndicaliste", "militant", "militante", "élu", "élue", "patron", "patronne", "pdg",
    "chercheur", "chercheuse", "économiste", "expert", "experte", "médecin", "professeur",
    "professeure", "enseignant", "enseignante", "sociologue", "historien", "historienne",
    "spécialiste", "policier", "policière", "entraîneur", "entraîneuse", "sélectionneur",
    "joueur", "joueuse", "écrivain", "écrivaine", "auteur", "autrice", "journaliste",
    "fondateur", "fondatrice", "analyst", "economist", "professor", "researcher", "lawyer",
    "attorney", "activist", "coach", "founder", "chairwoman", "executive", "strategist",
    "pollster", "scientist", "doctor", "commissioner", "ambassador", "ambassadeur",
    "ambassadrice", "gouverneure", "adjoint", "adjointe", "président-directeur",
})
# Titles in the plural: a group, never one person ("les deux Présidents", "the senators").
PLURAL_TITLES = frozenset({"présidents", "ministres", "sénateurs", "députés", "maires",
                           "dirigeants", "responsables", "officials", "senators", "leaders",
                           "presidents", "ministers", "candidates", "chefs", "juges"})
# Words that end a subject noun phrase when read leftwards from a cue.
SUBJECT_STOPS = frozenset({
    ",", ";", ":", ".", "!", "?", "(", ")", "«", "»", "“", "”", '"', "—", "–",
    "que", "qu", "qui", "that", "who", "which", "and", "but", "or", "et", "mais", "ou", "as",
    "comme", "when", "quand", "lorsque", "while", "alors", "if", "si", "because", "car",
    "since", "puisque", "where", "où", "dont", "after", "before", "après", "avant",
})
OPEN_QUOTES = {"«": "»", "“": "”", "\"": "\"", "„": "“"}
CLOSE_QUOTES = frozenset({"»", "”", "\"", "“"})
CONTENT_OPENERS = frozenset({"that", "que", "qu", ":"})
