"""The French verbs and locutions that attribute speech, thought, intention or evidence,
read from ``fr_verbs.tsv`` (one per line: lemma, class, use, ambiguity, irregular forms,
note), and their inflected forms.

These verbs widen the hand-picked ones of ``lexicon``, so they count more cautiously: only
before their content ("que", "de" or "à" with an infinitive, a colon, a quotation:
"pointer que" reports, "pointer une arme" does not), or, for the ``incise`` ones, only
after a quotation ("« ... », sourit-il"); the ``reflexive`` ones only in their pronominal
form ("se demande"). A locution ("mettre en garde", "avoir bon espoir", "se dire prêt à")
is matched word for word after its verb's forms, without the preposition or "que" that
ends it (they open the content), and also only before its content. A verb whose lemma ends
with the preposition it governs ("tabler sur", "plaider pour") counts right before that
preposition, whatever follows it ("table sur une croissance de 1 %"); a ``quoted`` one
("parler de") only when a quotation opens just after the preposition ("parle d'« une double
peine »"). "y" before a verb ("y voir") is matched as a word of the locution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TSV = Path(__file__).with_name("fr_verbs.tsv")
_OPENERS = frozenset({"à", "de", "d'", "que", "qu'", "pour", "sur", "contre"})
# Prepositions a verb governs that open its content whatever follows (not "de", "à": "parle
# de son enfance", "appelle à 18 heures"), with the tokens each is written as.
_GOVERNING = {"sur": ("sur",), "pour": ("pour",), "contre": ("contre",),
              "de": ("de", "d", "du", "des")}
_SKIPPED = frozenset({"être", "ne"})  # "être convaincu": a passive's look-alike; negations
# Attempts and preparations: what someone does, not what they say or want ("a tenté de
# calmer le jeu").
_ACTIONS = frozenset({"tenter", "chercher", "essayer", "efforcer", "préparer", "apprêter",
                      "viser"})


def regular_forms(verb: str) -> set[str]:
    """The cue forms of a regular -er verb: present, imperfect, simple past, future (third
    persons) and participles, with the stem changes of "espère", "relève", "rappelle",
    "juge"."""
    stem = verb[:-2]
    soft = stem + "e" if stem.endswith("g") else stem  # jugeait, jugea
    open_stem = stem[:-2] + "è" + stem[-1] if stem[-2:-1] == "é" or (
        stem[-2:-1] == "e" and stem[-1] in "vnms") else stem  # espère, relève
    double = stem + stem[-1] if verb.endswith(("eler", "eter")) else open_stem  # rappelle
    forms = {double + "e", double + "ent", soft + "ait", soft + "aient", soft + "a",
             stem + "èrent", double + "era", stem + "é", stem + "ée", stem + "és",
             stem + "ées"}
    if verb.endswith(("eler", "eter")):  # "martèle" beside "martelle"
        forms |= {stem[:-2] + "è" + stem[-1] + "e", stem[:-2] + "è" + stem[-1] + "ent"}
    if stem.endswith("c"):  # "annonçait", "annonça"
        forms |= {stem[:-1] + "çait", stem[:-1] + "çaient", stem[:-1] + "ça"}
    return forms


def present_participle(verb: str) -> str:
    """The present participle of a regular -er verb ("estimant", "jugeant", "annonçant")."""
    stem = verb[:-2]
    if stem.endswith("g"):
        return stem + "eant"
    return (stem[:-1] + "ç" if stem.endswith("c") else stem) + "ant"


def listed_forms(forms: list[str]) -> set[str]:
    """A verb's forms from its seven listed ones (present singular and plural, imperfect,
    participle masculine and feminine, simple past, future), with the plurals they imply."""
    out = {f for f in forms if f and f.isalpha()}
    if len(forms) == 7:
        _, _, imperfect, masculine, feminine, _, future = forms
        if imperfect.endswith("ait"):
            out.add(imperfect[:-3] + "aient")
        out |= {p + "s" for p in (masculine, feminine)
                if p.isalpha() and not p.endswith(("s", "x"))}
        if future.endswith("a"):
            out.add(future[:-1] + "ont")
    return out


@dataclass(frozen=True)
class FrenchVerbs:
    """Forms by where they count, and locutions as token tuples."""

    needs_content: frozenset[str]
    incise: frozenset[str]
    reflexive: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    governed: dict[str, frozenset[str]]  # form -> the prepositions after which it is a cue
    quoted: frozenset[str]  # governed forms that count only before a quotation
    participles: frozenset[str]  # present participles of the single-word -er verbs
    infinitives: frozenset[str]  # the single-word verbs' infinitives


def load(path: Path = TSV) -> FrenchVerbs:
    """The lexicon in ``path``."""
    sets: dict[str, set[str]] = {"needs": set(), "incise": set(), "reflexive": set()}
    phrases: set[tuple[str, ...]] = set()
    governed: dict[str, set[str]] = {}
    quoted: set[str] = set()
    participles: set[str] = set()
    infinitives: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        lemma, _cls, use, _ambiguity, irregular, _note = (line.split("\t") + [""] * 6)[:6]
        words = lemma.replace("’", "'").split()
        pronominal = bool(words) and (words[0] == "se" or words[0].startswith("s'"))
        if words and words[0] == "se":
            words = words[1:]
        elif pronominal:
            words = [words[0][2:], *words[1:]]
        if words and words[0] == "en":  # "s'en prendre à"
            words = words[1:]
        clitic = ("y",) if words[:1] == ["y"] else ()
        words = words[len(clitic):]
        opener = words[-1] if len(words) == 2 else None
        while words and words[-1] in _OPENERS:
            words = words[:-1]
        if not words or words[0] in _SKIPPED or not words[0].isalpha() or words[0] in _ACTIONS:
            continue
        verb = words[0]
        forms = listed_forms(irregular.split(",")) if irregular else (
            regular_forms(verb) if verb.endswith("er") else set())
        if not forms:
            continue
        if len(words) > 1 or clitic:
            rest = _tokens(words[1:])
            phrases |= {(*clitic, form, *r) for form in forms for r in rest}
            continue
        infinitives.add(verb)
        if verb.endswith("er") and not irregular and use != "incise":
            participles.add(present_participle(verb))
        if opener in _GOVERNING and (opener != "de" or use == "quoted"):
            for form in forms:
                governed.setdefault(form, set()).update(_GOVERNING[opener])
            quoted |= forms if use == "quoted" else set()
        if use == "incise":
            sets["incise"] |= forms
            continue
        sets["needs"] |= forms  # a cue here only before its content
        if use == "reflexive" or pronominal:
            sets["reflexive"] |= forms
    return FrenchVerbs(frozenset(sets["needs"]), frozenset(sets["incise"]),
                       frozenset(sets["reflexive"]), tuple(sorted(phrases)),
                       {form: frozenset(p) for form, p in governed.items()}, frozenset(quoted),
                       frozenset(participles), frozenset(infinitives))


def _tokens(words: list[str]) -> list[tuple[str, ...]]:
    """A locution's words as the tokenizer cuts them, with either apostrophe ("d'alarme"
    -> d ' alarme, d ’ alarme)."""
    out: list[tuple[str, ...]] = [()]
    for word in words:
        head, sep, tail = word.partition("'")
        parts = [(head, mark, tail) for mark in ("'", "’")] if sep else [(word,)]
        out = [done + part for done in out for part in parts]
    return [tuple(t for t in r if t) for r in dict.fromkeys(out)]
