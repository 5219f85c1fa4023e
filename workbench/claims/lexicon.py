"""French and English cue lists that tell a claim from a quote, an opinion or a heading.

Every entry is lower case and written the way `tokenise` splits text: elided
articles keep their apostrophe ("d'", "l'", "j'"), hyphenated forms stay one
token ("a-t-il"), so a phrase is matched as a run of tokens, not a substring.
A few German and Italian entries ride along for the language-agnostic cues
(first person, quotes, percentages) so the CheckThat! languages get them too.
"""

from __future__ import annotations

import re

# Straight and typographic apostrophes are folded to "'" before matching.
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
_APOS_FOLD = str.maketrans({c: "'" for c in APOSTROPHES})

_TOKEN = re.compile(r"\w+'|\w+(?:-\w+)*|[^\w\s]", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case `text` and fold every apostrophe to "'" (the form cues are written in)."""
    return text.translate(_APOS_FOLD).lower()


def tokenise(text: str) -> list[str]:
    """Split folded text into words, elided articles ("l'") and punctuation marks."""
    return _TOKEN.findall(fold(text))


# --- attribution -----------------------------------------------------------

# Past participles of French verbs of saying, judging and reacting: "a déclaré",
# "ont estimé", "s'est félicité", "a-t-il signalé" all end on one of these.
FR_REPORTING_PARTICIPLES = (
    "déclaré", "déclarée", "déclarés", "dit", "affirmé", "indiqué", "annoncé",
    "expliqué", "ajouté", "souligné", "précisé", "signalé", "estimé", "jugé",
    "assuré", "confié", "averti", "rappelé", "reconnu", "admis", "dénoncé",
    "martelé", "insisté", "répondu", "noté", "promis", "prévenu", "regretté",
    "salué", "critiqué", "accusé", "démenti", "nié", "confirmé", "révélé",
    "lancé", "commenté", "déploré", "félicité", "félicitée", "réjoui",
    "réjouie", "exprimé", "évoqué", "mentionné", "répété", "plaidé", "appelé",
    "exhorté", "qualifié", "considéré", "soutenu", "rapporté", "raconté",
    "écrit", "tweeté", "publié", "observé", "constaté", "prédit", "argué",
    "argumenté", "objecté", "rétorqué", "répliqué", "concédé", "avoué",
    "menacé", "proposé", "suggéré", "demandé", "exigé", "réclamé", "conclu",
    "résumé", "détaillé", "poursuivi", "fustigé", "condamné", "contesté",
    "prôné", "défendu", "invoqué", "interrogé", "cité", "communiqué",
    "annoncée", "indiquée", "assurée", "estimée", "souhaité", "espéré",
    "craint", "redouté", "regretté", "insinué", "laissé", "fait",
)

# Present-tense forms, third person singular and plural, as in reported speech
# ("estime que", "déclare-t-il" is caught by the inversion cue).
FR_REPORTING_PRESENT = (
    "déclare", "déclarent", "dit", "disent", "affirme", "affirment", "indique",
    "indiquent", "annonce", "annoncent", "explique", "expliquent", "ajoute",
    "ajoutent", "souligne", "soulignent", "précise", "précisent", "signale",
    "signalent", "estime", "estiment", "juge", "jugent", "assure", "assurent",
    "confie", "rappelle", "rappellent", "reconnaît", "reconnaissent", "dénonce",
    "dénoncent", "martèle", "insiste", "répond", "répondent", "note", "notent",
    "promet", "prévient", "regrette", "salue", "saluent", "critique", "accuse",
    "accusent", "dément", "nie", "confirme", "confirment", "révèle",
    "commente", "déplore", "déplorent", "évoque", "évoquent", "mentionne",
    "plaide", "appelle", "appellent", "qualifie", "considère", "considèrent",
    "soutient", "soutiennent", "rapporte", "raconte", "écrit", "écrivent",
    "pense", "pensent", "croit", "croient", "rétorque", "réplique", "conclut",
    "fustige", "condamne", "conteste", "prône", "défend", "redoute", "craint",
    "espère", "souhaite", "souhaitent", "observe", "constate", "prédit",
)

# Phrases that name the source of what follows or precedes.
FR_ATTRIBUTION_PHRASES = (
    "selon", "d' après", "aux dires de", "de l' avis de", "à en croire",
    "cité par", "citée par", "cités par", "pour reprendre les mots de",
    "comme l' a", "comme l' ont", "comme l' avait", "a fait savoir",
    "ont fait savoir", "a laissé entendre", "a tenu à", "s' est dit",
    "s' est dite", "se sont dits", "s' est félicité", "s' est félicitée",
    "s' est réjoui", "s' est réjouie", "s' est inquiété", "s' est inquiétée",
    "s' est prononcé", "s' est exprimé", "a exprimé l' espoir",
    "ont exprimé l' espoir", "a exprimé", "ont exprimé", "a-t-il", "a-t-elle",
    "ont-ils", "ont-elles", "a-t-on", "avait-il", "avait-elle",
    "de source", "de sources", "source proche", "sources proches",
    "dans un communiqué", "dans une déclaration", "dans un entretien",
    "dans une interview", "lors d' une conférence de presse",
    "en conférence de presse", "sur twitter", "sur son compte",
    "a-t-il déclaré", "a-t-il dit", "a-t-il ajouté", "a-t-elle ajouté",
    "a-t-il signalé", "a-t-elle signalé", "a-t-il indiqué", "a-t-elle indiqué",
    "pour sa part", "de son côté", "quant à lui", "quant à elle",
)

# "X estime que", "X a jugé que": belief or stance attributed to someone.
FR_STANCE_PHRASES = (
    "estime que", "estiment que", "a estimé que", "ont estimé que",
    "juge que", "a jugé que", "considère que", "a considéré que",
    "pense que", "croit que", "affirme que", "a affirmé que", "a déclaré que",
    "a dit que", "a indiqué que", "a souligné que", "a précisé que",
    "a ajouté que", "a signalé que", "a assuré que", "a rappelé que",
    "a reconnu que", "a expliqué que", "a annoncé que", "avait déclaré que",
    "avait annoncé que", "a averti que", "a prévenu que", "a noté que",
)

EN_REPORTING_VERBS = (
    "said", "says", "say", "told", "tells", "stated", "states", "added",
    "adds", "noted", "notes", "explained", "explains", "claimed", "claims",
    "argued", "argues", "announced", "announces", "insisted", "insists",
    "warned", "warns", "reported", "reports", "wrote", "writes", "tweeted",
    "replied", "responded", "acknowledged", "admitted", "denied", "denies",
    "confirmed", "confirms", "believes", "believed", "thinks", "suggested",
    "suggests", "urged", "urges", "described", "describes", "asserted",
    "contended", "maintained", "maintains", "stressed", "emphasised",
    "emphasized", "recalled", "conceded", "predicted", "promised", "vowed",
    "pledged", "accused", "criticised", "criticized", "praised", "welcomed",
    "condemned", "alleged", "alleges", "testified", "declared", "declares",
    "remarked", "commented", "observed", "indicated", "revealed", "disclosed",
    "cautioned", "countered", "retorted", "concluded", "estimated", "feared",
    "hoped", "expects", "expected", "quoted", "posted", "asked",
)

EN_ATTRIBUTION_PHRASES = (
    "according to", "told reporters", "told the", "said in a statement",
    "in a statement", "in an interview", "at a press conference",
    "a spokesman", "a spokeswoman", "a spokesperson", "spokesman for",
    "spokeswoman for", "spokesperson for", "officials said", "sources said",
    "source said", "as quoted by", "quoted by", "cited by", "in the words of",
    "on twitter", "wrote on", "posted on", "said that", "says that",
    "told the", "argued that", "claimed that", "believes that", "thinks that",
    "insisted that", "warned that", "added that", "noted that",
    "he said", "she said", "they said", "he says", "she says", "it said",
    "said he", "said she", "said it", "he added", "she added",
)

# Stances attributed to a source: "X believes", "X thinks" (English first
# person "I believe" is opinion, caught by FIRST_PERSON instead).
EN_STANCE_PHRASES = (
    "believes that", "thinks that", "argued that", "argues that",
    "claimed that", "claims that", "insisted that", "maintains that",
    "said that", "says that", "warned that", "suggested that",
)

# What introduces a named source: "selon X", "according to X" (read by the rules).
SOURCE_PREFIXES = ("selon", "d'après", "according to", "aux dires de", "à en croire", "cité par", "quoted by")

# Titles and institutions that make a capitalised span a source.
SOURCE_NOUNS = (
    "président", "présidente", "ministre", "porte-parole", "premier",
    "gouvernement", "ministère", "police", "préfecture", "parquet", "procureur",
    "procureure", "juge", "diplomatie", "ambassade", "ambassadeur", "élysée",
    "kremlin", "maison-blanche", "député", "députée", "sénateur", "sénatrice",
    "maire", "directeur", "directrice", "syndicat", "association", "experts",
    "expert", "chercheur", "chercheuse", "scientifiques", "responsable",
    "responsables", "autorités", "agence", "journal", "quotidien", "média",
    "médias", "onu", "otan", "ue", "commission",
    "president", "minister", "spokesman", "spokeswoman", "spokesperson",
    "government", "ministry", "prosecutor", "officials", "official",
    "authorities", "senator", "governor", "mayor", "director", "chief",
    "agency", "department", "researchers", "scientists", "experts", "analysts",
    "police", "court", "judge", "white", "kremlin", "committee", "newspaper",
)

SUBJECT_PRONOUNS = (
    "il", "elle", "ils", "elles", "on", "he", "she", "they",
)

# Inverted subject after a verb of saying: "a-t-il", "déclare-t-elle", "ont-ils".
INVERTED_SUBJECT = re.compile(r"^\w+-(?:t-)?(?:il|elle|ils|elles|on)$")


# --- the author's own voice -------------------------------------------------

FIRST_PERSON = (
    # French
    "je", "j'", "me", "m'", "moi", "mon", "ma", "mes", "nous", "notre", "nos",
    # English
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
    "i'", "let's",
    # German and Italian, for the language-agnostic cue
    "ich", "mich", "mir", "mein", "meine", "meiner", "wir", "uns", "unser",
    "unsere", "io", "mio", "mia", "miei", "mie", "noi", "nostro", "nostra",
    "nostri", "nostre",
)

SECOND_PERSON = (
    "tu", "te", "t'", "toi", "ton", "ta", "tes", "vous", "votre", "vos",
    "you", "your", "yours", "yourself", "dich", "dir", "euch",
    "tu", "voi", "vostro", "vostra",
)

# Obligation, necessity, possibility: the author calling for or weighing things.
MODALITY = (
    "doit", "doivent", "devrait", "devraient", "devrions", "devons", "faut",
    "faudrait", "fallait", "nécessaire", "nécessité", "indispensable",
    "impératif", "urgent", "pourrait", "pourraient", "peut", "peuvent",
    "il faut", "il faudrait", "il est temps", "il convient",
    "should", "must", "ought", "need", "needs", "necessary", "have to",
    "has to", "could", "might", "may", "would", "can't", "cannot",
    "sollte", "sollten", "müssen", "muss", "müsste", "könnte", "könnten",
    "dovrebbe", "dovrebbero", "bisogna", "occorre", "deve", "devono",
    "potrebbe", "potrebbero",
)

# Calls to action in the author's voice (read by the rules).
CALLS_TO_ACTION = (
    "il faut", "il faudrait", "il est temps", "il convient", "doit", "doivent", "devrait", "devraient",
    "should", "must", "ought", "need to", "needs to", "it is time", "let's",
)

HEDGES = (
    "peut-être", "sans doute", "probablement", "apparemment", "semble",
    "semblent", "semble-t-il", "vraisemblablement", "sembler", "paraît",
    "il semble", "on dirait", "plutôt", "quelque peu", "presque", "sûrement",
    "certainement", "visiblement", "manifestement", "prétendument",
    "perhaps", "maybe", "probably", "apparently", "seems", "seem", "seemed",
    "likely", "unlikely", "possibly", "arguably", "somewhat", "rather",
    "allegedly", "reportedly", "supposedly", "presumably", "surely",
    "certainly", "clearly", "obviously", "of course", "i think", "i believe",
    "vielleicht", "wahrscheinlich", "offenbar", "scheinbar", "wohl",
    "forse", "probabilmente", "sembra", "sembrano", "certamente",
)

# Judgements and loaded words; a linear model weighs them, they need not be exhaustive.
EVALUATIVE = (
    # French
    "exemplaire", "exemplaires", "excellent", "excellente", "terrible",
    "terribles", "scandaleux", "scandaleuse", "honteux", "honteuse",
    "inacceptable", "inadmissible", "absurde", "ridicule", "remarquable",
    "formidable", "catastrophique", "désastreux", "désastreuse", "inquiétant",
    "inquiétante", "choquant", "choquante", "magnifique", "lamentable",
    "crucial", "cruciale", "essentiel", "essentielle", "évident", "évidente",
    "évidemment", "clairement", "malheureusement", "heureusement", "hélas",
    "bien sûr", "vrai", "vraie", "véritable", "incroyable", "chaotique",
    "bafoué", "bafouée", "prétexte", "soi-disant", "prétendu", "prétendue",
    "injuste", "juste", "mauvais", "mauvaise", "bon", "bonne", "meilleur",
    "meilleure", "pire", "grave", "dangereux", "dangereuse", "fou", "folle",
    "insensé", "stupide", "brillant", "brillante", "honte", "scandale",
    "mensonge", "mensonges", "propagande", "hypocrisie", "hypocrite",
    "triste", "tristement", "dramatique", "tragique", "inouï", "énorme",
    # English
    "good", "bad", "great", "terrible", "awful", "outrageous", "ridiculous",
    "absurd", "shameful", "disgraceful", "unacceptable", "remarkable",
    "wonderful", "disastrous", "crucial", "essential", "unfortunately",
    "fortunately", "sadly", "best", "worst", "better", "worse", "stupid",
    "brilliant", "amazing", "horrible", "dangerous", "crazy", "insane",
    "pathetic", "hypocritical", "hypocrisy", "shame", "scandal", "lies",
    "propaganda", "nonsense", "incredible", "unbelievable", "tragic",
    "tragically", "huge", "massive", "dire", "deeply", "utterly",
    "false", "wrong", "fair", "unfair", "right", "silly", "foolish",
    "fantastic", "disgusting", "appalling", "alarming", "striking",
    "ironically", "frankly", "honestly", "undoubtedly", "indeed",
)

INTENSIFIERS = (
    "très", "trop", "tellement", "extrêmement", "vraiment", "totalement",
    "absolument", "complètement", "particulièrement", "si", "tant",
    "very", "too", "so", "extremely", "really", "totally", "absolutely",
    "completely", "entirely", "simply", "just", "even", "only", "quite",
    "sehr", "zu", "so", "ganz", "völlig", "molto", "troppo", "davvero",
    "assolutamente", "proprio",
)

NEGATION = (
    "ne", "n'", "pas", "jamais", "rien", "aucun", "aucune", "personne",
    "not", "no", "never", "nothing", "none", "nobody", "n't",
    "nicht", "kein", "keine", "nie", "non", "mai", "nessun", "nessuno",
)

# The journalistic conditional marks unconfirmed, reported content ("aurait").
FR_CONDITIONAL_ENDINGS = ("rait", "raient")
FR_FUTURE_ENDINGS = ("rai", "ras", "ra", "rons", "rez", "ront")
# Words ending like a future that are not verbs; checked before the ending rule.
FR_FUTURE_EXCEPTIONS = (
    "contra", "extra", "ultra", "opéra", "caméra", "cobra", "séra", "tiara",
    "sera", "zebra", "mantra", "tantra", "sierra", "terra", "ira",
    "libra", "algebra", "aura", "entre", "contre", "notre", "votre",
    "autre", "lettre", "centre", "quatre", "titre", "ordre",
)
FUTURE = (
    "sera", "seront", "serai", "serons", "aura", "auront", "fera", "feront",
    "ira", "iront", "pourra", "pourront", "devra", "devront", "va", "vont",
    "prochain", "prochaine", "prochains", "prochaines", "prochainement",
    "demain", "bientôt", "d' ici",
    "will", "won't", "'ll", "shall", "going to", "tomorrow", "next week",
    "next month", "next year", "soon", "upcoming",
    "wird", "werden", "morgen", "nächste", "nächsten", "sarà", "saranno",
    "domani", "prossimo", "prossima",
)

QUESTION_WORDS = (
    "pourquoi", "comment", "quand", "qui", "quoi", "quel", "quelle", "quels",
    "quelles", "est-ce", "why", "how", "what", "who", "when", "which",
    "where",
)

# --- marks and numbers -----------------------------------------------------

# Opening and closing quotation marks of every kind (apostrophes excluded).
QUOTE_MARKS = "\"\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a\u300c\u300d\u300e\u300f\u2033\uff02"
# Single typographic quotes count only when they wrap words, not inside them.
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    "januar", "februar", "märz", "juni", "juli", "oktober", "dezember",
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
    "agosto", "settembre", "ottobre", "dicembre",
)
WEEKDAYS = (
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag", "lunedì", "martedì", "mercoledì", "giovedì",
    "venerdì", "sabato", "domenica", "hier", "aujourd'", "yesterday", "today",
)
PERCENT_WORDS = ("pour cent", "percent", "per cent", "prozent", "per cento", "%")
AMOUNT_WORDS = (
    "euro", "euros", "dollar", "dollars", "livre", "livres", "franc", "francs",
    "roubles", "yuans", "pound", "pounds", "million", "millions", "milliard",
    "milliards", "billion", "billions", "trillion", "mille", "thousand",
    "millionen", "milliarden", "milioni", "miliardi", "€", "$", "£", "¥",
)


# --- German and Italian (small lists written for the CheckThat! languages) ---
# Separate categories so the French/English cues keep their meaning; the words
# were picked not to collide with French or English ones.

DE_IT_REPORTING = (
    "sagte", "sagten", "erklärte", "erklärten", "betonte", "berichtete",
    "teilte", "mitteilte", "kündigte", "forderte", "warnte", "räumte",
    "laut", "zufolge", "gegenüber", "hieß", "heißt es",
    "ha detto", "ha dichiarato", "ha spiegato", "ha affermato", "ha aggiunto",
    "ha sottolineato", "ha annunciato", "ha riferito", "secondo", "dichiarato",
    "spiegato", "affermato", "sottolineato", "annunciato", "riferisce",
    "spiega", "afferma", "dichiara",
)
DE_IT_STANCE = (
    "meiner meinung", "ich glaube", "ich denke", "ich finde", "natürlich",
    "selbstverständlich", "offensichtlich", "eigentlich", "leider",
    "zum glück", "glücklicherweise", "ausgerechnet", "immerhin", "doch",
    "endlich", "freilich", "nämlich", "schließlich", "bloß", "halt", "eben",
    "gar", "überhaupt", "etwa", "angeblich", "vermeintlich",
    "a mio avviso", "secondo me", "credo", "penso", "purtroppo",
    "ovviamente", "naturalmente", "evidentemente", "addirittura",
    "persino", "perfino", "finalmente", "insomma", "appunto", "cioè",
    "presunto", "presunta", "sedicente",
)
DE_IT_EVALUATIVE = (
    "gut", "gute", "guten", "schlecht", "schlechte", "besser", "beste",
    "schlimm", "schlimmer", "schlimmste", "katastrophal", "skandalös",
    "skandal", "unerträglich", "lächerlich", "peinlich",
    "gefährlich", "falsch", "richtig", "wichtig", "wichtige", "großartig",
    "hervorragend", "dramatisch", "enorm", "riesig", "unglaublich",
    "bedauerlich", "fragwürdig", "zweifelhaft", "populistisch", "dreist",
    "naiv", "ungerecht", "gerecht", "schön", "traurig", "verheerend",
    "buono", "buona", "cattivo", "cattiva", "migliore", "peggiore", "peggio",
    "gravissimo", "vergogna", "vergognoso", "scandaloso",
    "inaccettabile", "assurdo", "ridicolo", "pericoloso", "sbagliato",
    "giusto", "importante", "fondamentale", "straordinario", "incredibile",
    "drammatico", "tragico", "enorme", "terribile", "disastroso",
    "ingiusto", "bello", "bella", "vero", "vera", "falso",
)
DE_IT_INTENSIFIERS = (
    "äußerst", "extrem", "wirklich", "besonders", "durchaus",
    "höchst", "überaus", "viel", "allzu", "absolut", "völlig", "gänzlich",
    "molto", "troppo", "davvero", "assolutamente", "estremamente",
    "particolarmente", "veramente", "tanto", "sempre", "mai", "niente",
    "tutto", "tutti",
)
DE_IT_MODALITY = (
    "sollte", "sollten", "soll", "sollen", "müssen", "muss", "müsste",
    "müssten", "könnte", "könnten", "dürfte", "dürften", "würde", "würden",
    "wäre", "wären", "hätte", "hätten", "notwendig", "nötig",
    "dovrebbe", "dovrebbero", "bisogna", "occorre", "deve", "devono",
    "potrebbe", "potrebbero", "sarebbe", "sarebbero", "avrebbe",
    "avrebbero", "necessario",
)
