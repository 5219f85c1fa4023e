"""Where a cue starts and what it spans: a reporting verb with its auxiliaries and
adverbs ("a néanmoins glissé", "s'est félicité"), an inverted incise ("a-t-il signalé",
"se réjouit-elle", "fait-il valoir"), a locution, or a preposition ("selon", "according
to"); and whether what follows a verb opens a content.

A verb of the wider lexicon counts only before its content or after a quotation, an
incise-only verb ("lâche", "sourit") only there or before "que", a colon or an infinitive,
a reflexive one only in its pronominal form.
"""

from __future__ import annotations

from workbench.quotes.lexicon import (ADVERBS, AMBIGUOUS, AUXILIARIES, CLOSE_QUOTES,
                                      CONTENT_OPENERS, CUE_FORMS, CUE_INFINITIVES,
                                      DETERMINERS, EN_PHRASES,
                                      FR_PHRASES, FR_PREPOSITIONS, FRENCH_FORMS, GOVERNED,
                                      INCISE_FORMS, NEEDS_CONTENT, PRONOUNS, QUOTED_GOVERNED,
                                      REFLEXIVE_FORMS, SEMI_AUXILIARIES, WIDER_PHRASES)
from workbench.quotes.bodies import KIND_HEADS
from workbench.quotes.people import EVIDENCE, role_like
from workbench.quotes.spans import infinitive, inserted_adverbial, past_inserted, pour_source
from workbench.quotes.tokens import QUOTE_MARKS, Token

PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in (*EN_PHRASES, *FR_PREPOSITIONS, *FR_PHRASES):
    PHRASES.setdefault(_phrase[0], []).append(_phrase)
STARTS = CUE_FORMS | set(PHRASES) | set(SEMI_AUXILIARIES)  # the tokens a cue can start at
_NOT_BEFORE_VERB = (DETERMINERS - {"a"}) | {"de", "of", "to", "d", "l"}
_NEVER_REFLEXIVE = ("montr", "répét", "répèt", "salu", "veu", "voul")
CLITICS = frozenset({"le", "la", "les", "l", "lui", "leur", "y", "en", "se", "s", "nous",
                     "vous"})
_INFINITIVE_OPENERS = frozenset({"de", "d", "à"})
# Adjectives that come before a noun, never before a verb.
_NOUN_ADJECTIVES = frozenset({"dernière", "dernier", "première", "premier", "nouvelle", "nouveau",
                              "précédente", "précédent", "prochaine", "prochain", "seule", "seul",
                              "last", "first", "new", "latest", "previous", "next"})


def _after_subject_noun(tokens: list[Token], lo: int, i: int) -> bool:
    """Whether a verb form that is also a noun follows a subject noun phrase headed by a
    role, an organisation or a document ("La juriste demande une astreinte", "L'agence
    demande aux médecins", "Le rapport pointe"), not a determiner or a preposition ("la
    forte demande", "à la demande de")."""
    k = i - 1
    if k > lo and tokens[k].text.isalpha() and tokens[k].text.islower() \
            and not role_like(tokens[k].low) and tokens[k].low not in KIND_HEADS | EVIDENCE:
        k -= 1  # "la conseillère municipale demande"
    noun = tokens[k]
    return k > lo and noun.text.islower() and tokens[k - 1].low in DETERMINERS | {"’", "'"} \
        and (role_like(noun.low) or noun.low in KIND_HEADS or noun.low in EVIDENCE)


def cue_at(tokens: list[Token], i: int, lo: int, hi: int):
    """(kind, cue ranges, inverted source range or None) when a cue starts at token i."""
    low = tokens[i].low
    if low in SEMI_AUXILIARIES:  # "a tenu à souligner", "se contente d'indiquer"
        k = i + 1
        if k + 1 < hi and tokens[k].low == "d" and tokens[k + 1].text in {"'", "’"}:
            k += 1
        if k + 1 < hi and tokens[k].low in {SEMI_AUXILIARIES[low], "'", "’"} \
                and tokens[k + 1].low in CUE_INFINITIVES:
            return "verb", [with_auxiliaries(tokens, lo, i, k + 2)], None
    phrases = PHRASES.get(low, ())
    after = _inverted_after(tokens, i, hi) if phrases else None
    for phrase in phrases:
        inverted = after
        if inverted and len(phrase) > 1 and tuple(t.low for t in tokens[inverted[1]:inverted[1]
                                                                         + len(phrase) - 1]) \
                == phrase[1:] and inverted[1] + len(phrase) - 1 <= hi:  # "fait-il valoir"
            return "verb", [(i, i + 1), (inverted[1], inverted[1] + len(phrase) - 1)], inverted
        if tuple(t.low for t in tokens[i:i + len(phrase)]) == phrase and i + len(phrase) <= hi:
            if phrase in WIDER_PHRASES and not (opens_content(tokens, i + len(phrase), hi)
                                                or after_quotation(tokens, lo, with_auxiliaries(
                                                    tokens, lo, i, i + 1)[0])):
                continue  # "a fait le point", "ont donné l'alerte": no content
            if phrase[0] in ("according", "selon", "d", "à", "pour"):
                if phrase == ("pour",) and not pour_source(tokens, i, lo, hi):
                    continue
                return "prep", [(i, i + len(phrase))], None
            inverted = _inverted_auxiliary(tokens, lo, i)
            if inverted:  # "a-t-il fait valoir"
                return "verb", [(inverted, inverted + 1), (i, i + len(phrase))], (i - 1, i)
            inserted = inserted_adverbial(tokens, lo, i)
            if inserted is not None and tokens[inserted - 1].low in AUXILIARIES:
                aux = with_auxiliaries(tokens, lo, inserted - 1, inserted)
                return "verb", [aux, (i, i + len(phrase))], None  # "a de son côté fait valoir"
            return "verb", [with_auxiliaries(tokens, lo, i, i + len(phrase))], None
    if low not in CUE_FORMS:
        return None
    # "déclare-t-il", "dit-elle": the verb, then its inverted pronoun; "se réjouit-elle",
    # "s'amuse-t-il": the reflexive pronoun is in the cue
    inverted = _inverted_after(tokens, i, hi)
    if inverted:
        return "verb", [with_auxiliaries(tokens, lo, i, i + 1)], inverted
    inverted = _inverted_auxiliary(tokens, lo, i)
    if inverted is not None:  # "a-t-il signalé": auxiliary, -t-, pronoun, participle
        return "verb", [(inverted, inverted + 1), (i, i + 1)], (i - 1, i)
    if i > lo and tokens[i - 1].low == "a" and low not in FRENCH_FORMS:
        return None  # "a report": the English article, not the French auxiliary
    if low in AMBIGUOUS:
        prev = tokens[i - 1] if i > lo else None
        if prev is not None and prev.low in _NOUN_ADJECTIVES and not any(
                t.low in CONTENT_OPENERS for t in tokens[i + 1:min(hi, i + 3)]) and not (
                i - 2 >= lo and tokens[i - 2].low in {"ce", "cette", "ces"}):  # "Ce dernier dit"
            return None  # "la dernière note de conjoncture": a noun; not "la première estime que"
        after_opener = (i + 1 < hi and (tokens[i + 1].low in {"to", "de", "d"} or (
            low in FRENCH_FORMS and infinitive(tokens[_past_negation(tokens, i + 1, hi)])))
                        ) or any(t.low in CONTENT_OPENERS for t in tokens[i + 1:min(hi, i + 5)])
        if prev is None or not ((prev.low in AUXILIARIES and prev.low not in {"s", "’", "'"})
                                or prev.low in PRONOUNS
                                or prev.text[:1].isupper() or after_opener
                                or (low in FRENCH_FORMS and _after_subject_noun(tokens, lo, i))
                                or (low in FRENCH_FORMS and prev.text == "," and i + 1 < hi
                                    and tokens[i + 1].low in DETERMINERS | _INFINITIVE_OPENERS
                                    | {"au", "aux"})  # "La FCPE, qui ..., demande à"
                                or after_quotation(tokens, lo, i) or _incise(tokens, (i, i + 1), hi)):
            return None
    if i > lo and tokens[i - 1].low in _NOT_BEFORE_VERB:
        return None
    if low in NEEDS_CONTENT and not (opens_content(tokens, i + 1, hi) or _governs(
            tokens, i, hi) or after_quotation(tokens, lo, with_auxiliaries(tokens, lo, i, i + 1)[0])):
        return None  # "pointe que ...", not "pointe une arme"
    cue = with_auxiliaries(tokens, lo, i, i + 1)
    inserted = inserted_adverbial(tokens, lo, i)
    if cue[0] == i and inserted is not None and tokens[inserted - 1].low in AUXILIARIES:
        aux = with_auxiliaries(tokens, lo, inserted - 1, inserted)
        return "verb", [aux, (i, i + 1)], None  # "a de son côté affirmé"
    if low in INCISE_FORMS and not (after_quotation(tokens, lo, cue[0]) or _incise(tokens, cue, hi)
                                    or (low in FRENCH_FORMS and opens_content(
                                        tokens, i + 1, hi))):
        return None  # "lâche", "sourit": speech verbs after a quotation only, or before "que",
        # a colon or an infinitive ("a glissé que", "entend la remettre")
    if tokens[i].text[:1].isupper() and low in FRENCH_FORMS and not (
            i + 1 < hi and tokens[i + 1].text == "-"):
        return None  # "Jura : ...", "Interrogée, ...": a title word or a participle, not a cue
    if low in REFLEXIVE_FORMS and not any(t.low in {"s", "se"} for t in tokens[cue[0]:i]):
        return None  # "s'est engagée à", not "a engagé des travaux"
    if any(t.low in {"anonymat", "anonyme"} for t in tokens[i + 1:min(hi, i + 4)]):
        return None  # "qui a requis l'anonymat", "souhaite rester anonyme"
    if low.startswith(_NEVER_REFLEXIVE) and any(t.low in {"s", "se"} for t in tokens[cue[0]:i]):
        return None  # "s'est montrée prudente", "la scène se répète"
    if low.startswith(("relev", "relèv")) and i + 1 < hi \
            and tokens[i + 1].low in {"de", "du", "des", "d"}:
        return None  # "relève de l'État": belongs to, says nothing
    if cue[0] == i and i > lo and low in FRENCH_FORMS and low.endswith((
            "é", "ée", "és", "ées", "is", "ise", "ises")) \
            and tokens[i - 1].text.isalpha() and tokens[i - 1].low not in PRONOUNS:
        return None  # "une école menacée de fermeture": a participle as adjective
    if i - 2 >= lo and tokens[i - 1].text in {"’", "'"} and tokens[i - 2].low in {"l", "d"}:
        return None  # "l'alerte", "d'appel": a noun after its elided article
    if low.startswith("déclar") and any(t.low == "s" for t in tokens[cue[0]:i]) and not any(
            t.low in CONTENT_OPENERS for t in tokens[i + 1:min(hi, i + 3)]):
        return None  # "un incendie s'est déclaré"
    return "verb", [cue], None


def opens_content(tokens: list[Token], k: int, hi: int, marks: bool = True) -> bool:
    """Whether what follows a verb at token k opens a content: "que", a colon or (with
    ``marks``) a quotation within a few words, or "de"/"à" and an infinitive."""
    k = past_inserted(tokens, k, hi)  # "défend de son côté des offres « compétitives »"
    ahead = tokens[k:min(hi, k + 4)]
    if any(t.low in CONTENT_OPENERS or marks and t.text in QUOTE_MARKS for t in ahead):
        return True
    if _quantity(ahead):  # "recense plus de 1 100 ménages", "estime 3 000 morts"
        return True
    while k < hi and tokens[k].low in ADVERBS:  # "espère encore le convaincre"
        k += 1
    k = _past_negation(tokens, k, hi)  # "dit ne plus sortir", "dit n'avoir"
    ahead = tokens[k:min(hi, k + 4)]
    if ahead and infinitive(ahead[0]):
        return True
    if len(ahead) > 1 and ahead[0].low in CLITICS:  # "espère le convaincre", "l'inviter"
        k = 1 + (ahead[1].text in {"'", "’"})
        return k < len(ahead) and infinitive(ahead[k])
    if len(ahead) > 2 and ahead[0].low == "d" and ahead[1].text in {"'", "’"}:
        return infinitive(ahead[2])  # "d'attendre", not "d'excuses"
    return len(ahead) > 1 and ahead[0].low in _INFINITIVE_OPENERS and infinitive(ahead[1])


# What a figure measures when it is no count reported ("mesure 1,75 mètre", "a dit 3 fois").
_MEASURES = frozenset({"fois", "heures", "h", "times", "mètre", "mètres", "m", "cm", "km",
                       "kilos", "kg", "degrés", "ans", "tonnes", "litres"})
_ABOUT_SO_MANY = frozenset({"plus", "moins", "près", "environ", "quelque", "au", "de", "d",
                            "’", "'", "pas"})


def _quantity(ahead: list[Token]) -> bool:
    """Whether a figure opens what follows a verb ("plus de 3 000 morts", "1 100 ménages"):
    a count that someone reports."""
    k = 0
    while k < len(ahead) and ahead[k].low in _ABOUT_SO_MANY:
        k += 1
    decimal = k + 2 < len(ahead) and ahead[k + 1].text in {",", "."} \
        and len(ahead[k + 2].text) != 3  # "1,75 mètre", not "4.000 morts"
    return k < len(ahead) and ahead[k].text.isdigit() and not decimal and not (
        k + 1 < len(ahead) and ahead[k + 1].low in _MEASURES)


def _past_negation(tokens: list[Token], k: int, hi: int) -> int:
    """The token after a negation before an infinitive ("ne plus", "ne pas", "n'"), or k."""
    j = k
    if j < hi and tokens[j].low in {"ne", "n"}:
        j += 1 + (j + 1 < hi and tokens[j + 1].text in {"'", "’"})
        while j < hi and tokens[j].low in {"pas", "plus", "jamais", "rien", "guère"}:
            j += 1
    return j if j < hi else k


def _inverted_after(tokens: list[Token], i: int, hi: int) -> tuple[int, int] | None:
    """The inverted subject pronoun right after the verb at i ("dit-elle", "ajoute-t-il"),
    as a token range, else None."""
    after = [t.low for t in tokens[i + 1:i + 5]]
    for pattern in (["-", "t", "-"], ["-"]):
        n = len(pattern)
        if after[:n] == pattern and len(after) > n and after[n] in PRONOUNS and i + n + 2 <= hi:
            return i + n + 1, i + n + 2
    return None


def _governs(tokens: list[Token], i: int, hi: int) -> bool:
    """Whether the verb at i comes right before the preposition it governs ("table sur"),
    with a quotation just after it when the verb needs one ("parle d'« ... »")."""
    if i + 1 >= hi or tokens[i + 1].low not in GOVERNED.get(tokens[i].low, ()):
        return False
    return tokens[i].low not in QUOTED_GOVERNED or any(  # "parle d'une décision « ... »"
        t.text in QUOTE_MARKS for t in tokens[i + 2:min(hi, i + 7)])


def _incise(tokens: list[Token], cue: tuple[int, int], hi: int) -> bool:
    """", a poursuivi Me Kermarrec, ...": a cue between commas with its source after it."""
    if cue[0] == 0 or tokens[cue[0] - 1].text != ",":
        return False
    k = cue[1]
    if k >= hi or not (tokens[k].text[:1].isupper() or tokens[k].low in DETERMINERS):
        return False
    return any(t.text in {",", "»", "”"} for t in tokens[k + 1:min(hi, k + 5)])


def after_quotation(tokens: list[Token], lo: int, i: int) -> bool:
    """An incise: the token at i right after a closing quote and its comma ("« ... », estime")."""
    k = i - (i > lo and tokens[i - 1].text == ",")
    return k > lo and tokens[k - 1].text in CLOSE_QUOTES


def _inverted_auxiliary(tokens: list[Token], lo: int, i: int) -> int | None:
    """The auxiliary of "a-t-il signalé" (its index) when the participle at i follows it."""
    before = [t.low for t in tokens[max(lo, i - 5):i]]
    if len(before) >= 3 and before[-1] in PRONOUNS and before[-2] == "-":
        k = i - 3 if before[-3] != "t" else i - 5
        if k >= lo and tokens[k].low in AUXILIARIES:
            return k
    return None


def with_auxiliaries(tokens: list[Token], lo: int, start: int, end: int) -> tuple[int, int]:
    """The cue widened leftwards over its auxiliaries ("has also said"), adverbs in front left out."""
    k = start
    while k > lo and tokens[k - 1].low in AUXILIARIES and not (
            k - 1 > lo and tokens[k - 1].text[:1].isupper()):  # "Corriere della Sera affirme"
        k -= 1
    while k < start and (tokens[k].low in ADVERBS or tokens[k].low in {"’", "'"}):
        k += 1
    return k, end
