"""Small readings of the words around a cue that the rules use to place a span's edges:
infinitives, adverbials to step over, demonstrative pronouns, an object before "de", and
the noun phrase after a sentence-initial "Pour" that makes it a source.
"""

from __future__ import annotations

from workbench.quotes.bodies import KIND_HEADS
from workbench.quotes.lexicon import DETERMINERS, TITLES
from workbench.quotes.people import role_like
from workbench.quotes.tokens import Token

# Abbreviations written with a full stop before a name ("M. Leroy", "Dr. Smith").
ABBREVIATIONS = frozenset({"m", "mm", "dr", "dre", "pr", "pre", "me", "mme", "mr", "mrs", "ms",
                           "st", "sen", "gov", "rep", "gen", "lt", "col", "sgt", "jr", "sr"})
# Words of time and manner between a cue and what follows it ("a confirmé jeudi sa
# directrice", "a annoncé lundi, lors d'un comité, la suppression").
_ADVERBIALS = frozenset({
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "matin",
    "soir", "midi", "aujourd", "’", "'", "hui", "encore", "aussi", "également", "ensuite",
    "enfin", "alors", "toutefois", "cependant", "pourtant", "déjà", "simplement", "notamment",
    "clairement", "publiquement", "récemment", "finalement", "aussitôt", "immédiatement",
    "dernier", "soir-là", "sobrement", "prudemment", "fermement",
})
_LEAD_PREPOSITIONS = frozenset({"lors", "après", "avant", "devant", "dans", "à", "au", "en",
                                "pendant", "sur", "depuis", "face", "par", "lundi", "mardi",
                                "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier"})
_NOT_INFINITIVE = frozenset({"hier", "leur", "sur", "pour", "par", "avoir", "être", "faire",
                             "contre", "entre", "notre", "votre", "autre", "premier", "dernier",
                             "comme", "cher", "fier", "mer", "hiver", "ordre", "centre",
                             "titre", "nombre", "lettre", "libre", "membre", "chiffre",
                             "encore", "quatre", "propre", "outre"})
_INFINITIVE_AUX = frozenset({"avoir", "être", "faire"})
_OBJECT_VERBS_DE = frozenset({"de", "d"})


def infinitive(token: Token) -> bool:
    """Whether a French token reads as an infinitive ("espérer", "vouloir", "avoir")."""
    low = token.low
    if low in _INFINITIVE_AUX:
        return True
    return (token.text.isalpha() and token.text.islower() and len(low) > 3
            and low.endswith(("er", "ir", "oir", "re")) and low not in _NOT_INFINITIVE)


def after_adverbials(tokens: list[Token], start: int, end: int) -> int:
    """The first token after adverbials of time and manner (and one parenthetical between
    commas that opens with a preposition: ", lors d'un comité,")."""
    k = start
    while k < end and tokens[k].low in _ADVERBIALS:
        k += 1
    if k + 1 < end and tokens[k].text == "," and tokens[k + 1].low in _LEAD_PREPOSITIONS:
        for j in range(k + 2, min(end, k + 16)):
            if tokens[j].text == ",":
                return j + 1
            if tokens[j].text in {".", ";", ":", "«", "»"}:
                break
    return k if k < end and tokens[k].text != "," else start


def demonstrative(tokens: list[Token], k: int, hi: int) -> tuple[int, int] | None:
    """"celle-ci", "celui-là", "ce dernier", "celui qui a fondé le festival" at token k as a
    token range."""
    low = tokens[k].low
    if low in {"celle", "celui", "ceux", "celles"} and k + 2 < hi and tokens[k + 1].text == "-" \
            and tokens[k + 2].low in {"ci", "là"}:
        return k, k + 3
    if low in {"celle", "celui"} and k + 2 < hi and tokens[k + 1].low == "qui":
        end = next((j for j in range(k + 2, min(hi, k + 16)) if tokens[j].text in {",", ".", ";"}),
                   hi if hi - k <= 16 else None)  # the relative clause, to a comma or the end
        return (k, end) if end is not None else None
    if low in {"ce", "cette", "ces"} and k + 1 < hi and tokens[k + 1].low in {
            "dernier", "dernière", "derniers", "dernières"}:
        return k, k + 2
    return None


def object_before_de(tokens: list[Token], start: int, end: int) -> int:
    """Where a content of the form "OBJECT de + infinitive" starts its "de" ("a demandé aux
    parents de ne pas ...", "accuse le club de ne pas avoir ..."), else ``start``."""
    if start >= end or not (tokens[start].low in {"à", "au", "aux"} or (
            tokens[start].low in DETERMINERS and tokens[start].low not in {"des", "du"})):
        return start
    reach = 12 if tokens[start].low in {"à", "au", "aux"} else 6  # "à X, 34 ans, d'avoir"
    for j in range(start, min(end - 1, start + reach)):
        t = tokens[j]
        if t.text in {".", ";", ":", "«", "»", "“", "”", '"'} or t.low in {"que", "qu"} or (
                t.text == "," and reach == 6):
            break
        if t.low in _OBJECT_VERBS_DE and j > start:
            nxt = j + 1 + (tokens[j + 1].text in {"’", "'"})
            if nxt < end and (infinitive(tokens[nxt]) or tokens[nxt].low in {"ne", "n", "se", "s"}):
                return j
    return start


_POINTERS = [["lui"], ["elle"], ["eux"], ["elles"], ["celui", "ci"], ["celle", "ci"],
             ["ceux", "ci"], ["celles", "ci"], ["ce", "dernier"], ["cette", "dernière"]]


def pour_source(tokens: list[Token], i: int, lo: int, hi: int) -> bool:
    """Whether a "Pour" opens an attribution: first in its sentence and followed by a
    person before a comma ("Pour Mme Girard, ...", "Pour lui, ...", "Pour la ministre, ...")."""
    if i != lo and tokens[i - 1].text not in {"(", "—"}:
        return False
    for j in range(i + 1, min(hi, i + 11)):
        if tokens[j].text == ",":
            words = [t for t in tokens[i + 1:j] if t.text.isalpha()]
            if not words:
                return False
            if [w.low for w in words] in _POINTERS:
                return True
            if words[0].text[:1].isupper() and words[0].low not in DETERMINERS:
                return all(t.text[:1].isupper() or t.low in {"de", "du", "d"} for t in words)
            noun = words[1].low if len(words) > 1 else ""
            named = len(words) > 1 and (words[1].text.isupper() or len(words) > 2 and all(
                t.text[:1].isupper() for t in words[1:3]))  # "Pour la CGT", "Pour le Réseau
            return (words[0].low in DETERMINERS and len(words) <= 8  # Action Climat"
                    and noun not in {"premier", "première", "moment", "instant"} and (
                        noun in TITLES or role_like(noun) or role_like(noun.rstrip("sx"))
                        or noun in KIND_HEADS or named))
    return False


_ENGLISH_PASSIVE = frozenset({"is", "was", "were", "been", "be"})
_PASSIVE_AUXILIARIES = frozenset({"est", "sont", "était", "étaient", "été", "sera", "seront",
                                  "serait", "seraient", "fut"})
# Reporting verbs whose passive still reports ("La fermeture est annoncée", "Il est prévu
# que"): the passive of the others is no attribution ("la défense est assurée par ...").
_PASSIVE_STEMS = ("annonc", "exclu", "envisag", "prév", "confirm", "évoqu", "dément", "estim",
                  "jug", "affirm", "expliqu", "reproch", "rappel", "établi", "officialis",
                  "précis", "indiqu", "souhait", "craint", "considér", "dit", "écrit", "soulign",
                  "signal", "constat", "reconnu", "démenti", "attendu", "mis", "critiqu")
_CLITICS = frozenset({"lui", "leur", "nous", "vous", "me", "te", "m", "t", "’", "'"})


def passive(tokens: list[Token], lo: int, c0: int, c1: int) -> int | None:
    """A French passive cue ("est annoncée", "n'est pas exclue", "Il lui est reproché"),
    or an English impersonal one ("It was announced that"): the index of its expletive
    "il"/"it" when impersonal, ``c0`` when personal (the subject is
    the content), -1 for the passive of a verb that then reports nothing, None when the cue
    is not passive."""
    words = [t.low for t in tokens[c0:c1]]
    if c0 > lo and tokens[c0 - 1].low == "it" and (c0 - 1 == lo or tokens[c0 - 2].text == ",") \
            and any(w in _ENGLISH_PASSIVE for w in words) and c1 < len(tokens) \
            and tokens[c1].low == "that":
        return c0 - 1  # "It was announced that ..."
    if not any(w in _PASSIVE_AUXILIARIES for w in words) or any(w in {"s", "se"} for w in words) \
            or tokens[c1 - 1].low.startswith(("convaincu", "persuadé")):
        return None  # "Il est convaincu que ...": a belief of the subject, not a passive
    if not tokens[c1 - 1].low.startswith(_PASSIVE_STEMS):
        return -1
    k = c0 - 1
    while k >= lo and tokens[k].low in _CLITICS:
        k -= 1
    if k >= lo and tokens[k].low == "il" and (k == lo or tokens[k - 1].text in {",", ":"}):
        return k
    if k >= lo and tokens[k].low in {"il", "elle", "ils", "elles", "on"}:
        return -1
    return c0


_INSERTED = (("de", "son", "côté"), ("de", "leur", "côté"), ("pour", "sa", "part"),
             ("pour", "leur", "part"), ("quant", "à", "lui"), ("quant", "à", "elle"),
             ("lui", "aussi"), ("elle", "aussi"), ("à", "son", "tour"), ("à", "leur", "tour"),
             ("de", "nouveau"), ("à", "nouveau"), ("une", "nouvelle", "fois"),
             ("par", "ailleurs"), ("en", "outre"), ("d", "'", "ailleurs"), ("d", "’", "ailleurs"),
             ("lui", "-", "même"), ("elle", "-", "même"), ("en", "revanche"), ("en", "effet"),
             ("eux", "aussi"), ("elles", "aussi"), ("de", "même"), ("tout", "de", "même"),
             ("par", "la", "suite"), ("dans", "la", "foulée"), ("au", "passage"),
             ("à", "plusieurs", "reprises"), ("sans", "détour"), ("sans", "ambages"),
             ("en", "substance"), ("pour", "son", "compte"), ("en", "personne"),
             ("tout", "au", "plus"), ("au", "moins"), ("du", "moins"), ("quant", "à", "eux"),
             ("quant", "à", "elles"))
_INSERTED_ENDS = frozenset(phrase[-1] for phrase in _INSERTED)
_INSERTED_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in _INSERTED:
    _INSERTED_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


def inserted_adverbial(tokens: list[Token], lo: int, i: int) -> int | None:
    """Where an adverbial phrase inside a verb group ends at token i starts ("a de son côté
    affirmé", "ont pour leur part estimé"), else None."""
    if i == 0 or tokens[i - 1].low not in _INSERTED_ENDS:
        return None
    for phrase in _INSERTED:
        k = i - len(phrase)
        if k > lo and tuple(t.low for t in tokens[k:i]) == phrase:
            return k
    return None


def past_inserted(tokens: list[Token], k: int, hi: int) -> int:
    """The token after an adverbial phrase that starts at token k ("défend de son côté des
    offres"), else k."""
    for phrase in _INSERTED_BY_FIRST.get(tokens[k].low, ()) if k < hi else ():
        if k + len(phrase) <= hi and tuple(t.low for t in tokens[k:k + len(phrase)]) == phrase:
            return k + len(phrase)
    return k


_TELL = frozenset({"told", "tell", "tells", "telling", "assured", "reminded", "warned"})
_ADDRESSEES = frozenset({"me", "us", "him", "her", "them", "you", "reporters", "journalists",
                         "lawmakers", "voters", "supporters", "viewers", "listeners"})


def addressee_after(tokens: list[Token], k: int, end: int) -> int:
    """Where the content starts after the addressee of "told" ("told reporters she ...",
    "told the jury the ...", "told The Associated Press that ..."), else ``k``."""
    if k == 0 or tokens[k - 1].low not in _TELL or k >= end:
        return k
    if tokens[k].low in _ADDRESSEES:
        return k + 1
    if tokens[k].low in {"the", "a", "an"}:
        j = k + 1
        while j < end and j - k <= 3 and tokens[j].text[:1].isupper():
            j += 1
        return j if j > k + 1 else min(k + 2, end)
    return k
