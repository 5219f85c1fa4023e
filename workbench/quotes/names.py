"""Who a source refers to: the speaker resolution, over the people an article names
(``mentions``) and the organisations it names (``bodies``).

Resolution of a source, in text order: a pronoun or an anaphor ("il", "celle-ci", "ce
dernier", "l'intéressée") is the most recent person of its gender named before it (one
named after a preposition giving way to a subject named just before, one named inside the
source's own quotation left out), or the institution that spoke just before when its last
source gave it that gender ("la préfecture ... Elle", "les Jeunes Agriculteurs ... ils");
"qui" its antecedent; a source naming one person is that person, under the article's
fullest form of the name; a description ("la magistrate", "l'avocate de la famille") is
the most recent person it described before, else, for a role noun, the most recent person
of its gender; an indefinite or plural description ("une voisine", "les syndicats") is no
one, unless a spokesperson or a study of a named body ("une étude de l'Insee"); a
description of an organisation ("le festival", "l'entreprise", "la haute juridiction") is
the one of that kind named last (``bodies``), or the institution that spoke just before; a
document ("le dernier bilan de la préfecture", "le rapport") is its author, named or just
heard; any other source with a capital is the institution it names, from its first capital
("la direction des Papeteries de l'Aisne" -> "Papeteries de l'Aisne"), an acronym spelt out.
A study's authors or researchers speak for its author; "on" for the institution it is at
("indique-t-on au ministère de la Santé"); a description in the title that names no one
before it is the first person the article describes so after it ("..., selon le procureur").
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.quotes.bodies import ORGANISATION_NOUNS, Bodies, capitalised
from workbench.quotes.lexicon import COUNTERPARTS, DETERMINERS, PLURAL_TITLES, PRONOUNS
from workbench.quotes.mentions import NOT_ROLES, Mentions
from workbench.quotes.people import (ANAPHORS, ARTICLE_GENDERS, EVIDENCE, INDEFINITE,
                                     ROLE_NOUNS, SPOKESPEOPLE, demonym, role_like, stem,
                                     words_gender)
from workbench.quotes.tokens import Token

_ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "the", "a", "an"})
# The gender a source's first word gives the institution it names ("la préfecture" -> "elle").
_BODY_GENDER = {**ARTICLE_GENDERS, "les": "p", "des": "p", "ces": "p"}
_PLURAL_DETERMINERS = frozenset({"les", "des", "ces", "leurs", "ses", "the"})
_NEARBY = 300  # characters: a pronoun this close after a source may point back to its speaker
_DEFINITE = frozenset({"le", "la", "les", "l", "ce", "cette", "ces", "the", "this", "these"})
_THEY = frozenset({"ils", "elles", "eux", "they", "them"})
_PREPOSITIONS = frozenset({"de", "du", "des", "d", "of", "for", "at", "from", "in", "à", "au",
                           "aux", "chez", "on", "with", "avec", "en", "sur", "pour"})


class Speakers(Mentions):
    """The people and organisations of one article, to resolve its sources against in text
    order."""

    def __init__(self, tokens: list[Token], text: str):
        super().__init__(tokens, text)
        self.bodies = Bodies(tokens, text, self.bylines)
        self.last: str | None = None  # the speaker resolved last, for "son homologue"
        self.last_at = 0  # where its source ends
        self.last_gender: str | None = None  # an institution's, as its last source gave it
        self.last_kind = ""  # and the noun of its kind ("agence"), "" when none was written
        self.heard: list[tuple[int, int]] = []  # the contents resolved so far

    def resolve(self, start: int, end: int, said: tuple[tuple[int, int], ...] = ()) -> str | None:
        """The speaker of the source spanning characters ``start``..``end``, in text order;
        ``said``: its content's character ranges, where the speaker is not named ("« M.
        Tessier a menti », a-t-il lancé")."""
        self.said = said
        speaker = self._resolve(start, end)
        if speaker is None and "\n" not in self.text[:start].strip():
            speaker = self._ahead(start, end)  # a title's "selon le procureur"
        self.heard.extend(said)
        if speaker:
            self.last, self.last_at = speaker, end
            first = self.tokens[self._index(start)].low
            plural = speaker.split()[0].lower().endswith(("s", "x"))
            bare = first == "l" or first not in DETERMINERS  # "Voltéo", "l'ARS": "elle",
            self.last_gender = "p" if plural else _BODY_GENDER.get(  # as "la société",
                first, "f" if bare else None)  # "l'agence" say
        if speaker and speaker not in self.people:
            kind = next((t.low for t in self.tokens[self._index(start):self._index(end)]
                         if t.low in ORGANISATION_NOUNS), "")
            self.bodies.add(start, kind, speaker)  # an institution that later sources describe
            self.last_kind = kind
        return speaker

    def _ahead(self, start: int, end: int) -> str | None:
        """For a description in the title, the first person the article describes so
        after it ("..., selon le procureur" -> "le procureur de la République, X")."""
        words = [t for t in self.tokens[self._index(start):self._index(end)] if t.text.isalpha()]
        if not words or words[0].low not in _DEFINITE:
            return None
        stems = {stem(w) for w in _role_words(words) if w in ROLE_NOUNS}
        return next((name for name in self.mentions if stems & self.described.get(name, set())),
                    None)

    def _on(self, first: int, end: int) -> str | None:
        """The institution an "on" speaks for: "indique-t-on au ministère de la Santé",
        "Au ministère de X, on assure", "Du côté de l'ARS, on"; else no one."""
        k = self._index(end)
        if k < len(self.tokens) and self.tokens[k].low in {"au", "à", "chez", "auprès"}:
            return self.bodies.institution(self._phrase(k + 1))
        j = first - 1
        while j > 0 and self.tokens[j].text not in {".", "!", "?", "»", ";", "\n"}:
            if self.tokens[j].low == "côté" and self.tokens[j + 1].low in {"de", "du", "des", "d"}:
                return self.bodies.institution(self._phrase(j + 1))
            j -= 1
        j += j > 0 or self.tokens[0].text in {".", "!", "?", "»", ";"}
        if j < first and self.tokens[j].low in {"au", "à", "chez"}:
            return self.bodies.institution(self._phrase(j + 1))
        return None

    def _phrase(self, k: int) -> list[Token]:
        """The words from token k to the first punctuation, within 12 tokens."""
        end = next((j for j in range(k, min(len(self.tokens), k + 12))
                    if not self.tokens[j].text.isalpha()
                    and self.tokens[j].text not in {"'", "’", "-", "(", ")"}), k + 12)
        return [t for t in self.tokens[k:end] if t.text.isalpha()]

    def _last_speaker(self, start: int, gender: str) -> str | None:
        """The speaker resolved last, when no one was named since and it was just before
        ("« ... », a répondu son homologue. Il a ajouté ..."); an institution when its last
        source gave it that gender ("la préfecture ... Elle", "les Agriculteurs du Tarn ...
        ils")."""
        if self.last is None or start - self.last_at > _NEARBY:
            return None
        if self.last in self.people:
            if self.genders.get(self.last, gender) != gender:
                return None
        elif self.last_gender != gender:
            return None
        k = bisect_left(self.positions, self.last_at)
        while k < len(self.positions) and (self._in_content(k) or any(
                a <= self.positions[k] < b for a, b in self.heard)):
            k += 1  # people named in what was said since do not interrupt the speaker
        return self.last if k >= len(self.positions) or self.positions[k] >= start else None

    def _last_body(self, start: int, kind: str) -> str | None:
        """The institution that spoke just before, when its kind is that one or unknown
        ("Santé publique France a annoncé ... Selon l'agence sanitaire")."""
        recent = self.last is not None and start - self.last_at <= 2 * _NEARBY
        fits = self.last not in self.people and self.last_kind in {"", kind}
        return self.last if recent and fits else None

    def _resolve(self, start: int, end: int) -> str | None:
        first = self._index(start)
        words = [t for t in self.tokens[first:self._index(end)] if t.text.isalpha()]
        if not words:
            return None
        lows = [t.low for t in words]
        if lows == ["on"]:
            return self._on(first, end)
        if len(lows) == 1 and lows[0] in PRONOUNS:
            gender = PRONOUNS[lows[0]]
            if gender not in "mf":
                return self._last_speaker(start, gender) if lows[0] in _THEY else None
            return self._last_speaker(start, gender) or self.before(start, gender=gender)
        if lows == ["qui"] and first > 1 and self.tokens[first - 1].text == ",":
            j = first - 2  # "la magistrate, qui": its antecedent before the comma
            while j > first - 7 and j > 0 and self.tokens[j - 1].text.isalpha() \
                    and self.tokens[j].low not in _ARTICLES:
                j -= 1
            return self._resolve(self.tokens[j].start, self.tokens[first - 2].end) \
                or self.before(start)
        if lows[0] in {"celui", "celle"} and lows[1:2] == ["qui"]:  # "celui qui a fondé X"
            return self.before(start, gender="m" if lows[0] == "celui" else "f")
        if tuple(lows) in ANAPHORS:
            gender = ANAPHORS[tuple(lows)]
            return None if gender == "p" else self.before(start, gender=gender or None)
        k = bisect_left(self.positions, start)
        inside = bisect_left(self.positions, end) - k
        if inside:
            names = self.mentions[k:k + inside]
            comma = max((t.start for t in self.tokens[first:self._index(end)] if t.text == ","),
                        default=None)
            if comma is not None:
                opening = next(t for t in self.tokens[first:] if t.low not in _ARTICLES)
                if self.positions[k] == opening.start and self.tokens[self._index(
                        opening.start) + len(names[0].split())].text == ",":
                    return names[0]  # "Marta Vidal, porte-parole de l'association X"
                if self.positions[k + inside - 1] > comma:
                    return names[-1]  # "Walsh's spokesman, Ben Ortiz": the name in apposition
            return names[0] if len(set(names)) == 1 else None  # "Xi et Poutine": no one name
        if len(lows) > 3 and lows[0] in _DEFINITE and lows[1] == "cabinet" \
                and lows[2] in {"de", "du"} and role_like(lows[-1]):
            return self._resolve(words[2 + (lows[2] == "de")].start, end)  # "le cabinet de la
            # ministre": hers
        if lows[:2] in (["les", "auteurs"], ["les", "chercheurs"], ["leurs", "résultats"]):
            return self.bodies.author(start, "étude")  # a study's authors: its author
        if lows[:3] == ["les", "magistrats", "financiers"]:  # the Cour des comptes' own
            return self.bodies.named_with(start, "comptes")
        if any(w in PLURAL_TITLES for w in lows):
            return None  # "les deux Présidents", "the senators"
        if any(w in COUNTERPARTS for w in lows):
            return self.before(start, other_than=self.last)
        if lows[0] in _DEFINITE and lows[1:2] and set(lows[1:3]) & EVIDENCE:
            # "le dernier bilan de la préfecture": its author; "le rapport": the one who
            # spoke just before, or None
            noun = next(w for w in lows[1:3] if w in EVIDENCE)
            return self.bodies.institution(words) or self.bodies.author(start, noun) or (
                self.last if self.last is not None and start - self.last_at <= _NEARBY else None)
        roles = _role_words(words)
        kinds = [w for w in lows if w in ORGANISATION_NOUNS]
        if kinds and lows[0] in _ARTICLES and lows[1:2] == kinds[:1] and any(
                capitalised(t) for t in words):
            # "Le centre hospitalier de Saint-Dié", not "le directeur du centre X"
            named = self.bodies.institution(words)
            if named:
                return named
        if kinds and (set(roles) & SPOKESPEOPLE or roles[:1] == kinds[:1] or not any(
                role_like(w) and w not in ORGANISATION_NOUNS for w in roles)):
            # headed by the kind: "l'agence sanitaire" is no person for its adjective
            # "le festival", "la direction", "le porte-parole de l'entreprise"
            if not any(capitalised(t) or t.text.isupper() for t in words if t.low not in DETERMINERS):
                body = self.bodies.before(start, kinds[0]) or (
                    self._last_body(start, kinds[0]) if lows[0] in _ARTICLES - INDEFINITE else None
                ) or self.bodies.institution(words)  # "l'agence régionale de santé"
                if body or not set(roles) & SPOKESPEOPLE:
                    return body  # else "le représentant du parquet": a person
        if lows[0] in INDEFINITE:  # "une voisine", "a source"; "a Northwind spokesperson"
            return self.bodies.institution(words) if set(lows) & (SPOKESPEOPLE | EVIDENCE) else None
        if roles and (lows[0] in _PLURAL_DETERMINERS - {"the"} or (
                lows[0] == "the" and roles[-1].endswith("s"))):
            if any(w.rstrip("sx") in ROLE_NOUNS for w in roles):
                return None  # "les syndicats", "the officials"
        elif roles:
            phrase = lows[:lows.index(roles[-1]) + 1]
            gender = words_gender(phrase) or next((demonym(t) for t in words if demonym(t)), None)
            rest = {stem(w) for w in lows if len(w) > 3 and w not in roles} - NOT_ROLES
            for stems in ({stem(w) for w in roles if w in ROLE_NOUNS}, {stem(w) for w in roles}):
                k = bisect_left(self.positions, start)
                fits = []  # the people the article described so, most recent first
                while stems and k:
                    k -= 1
                    name = self.mentions[k]
                    if (stems | rest) & self.described.get(name, set()) and (
                            not gender or self.genders.get(name, gender) == gender):
                        fits.append(name)
                if fits:  # the one described with most of the words: "la ministre de la
                    # Transition écologique" is "sa collègue de la Transition écologique"
                    best = max(fits, key=lambda n: len((stems | rest) & self.described[n]))
                    if stems & self.described[best] or len(rest & self.described[best]) > 1:
                        return best
            if any(role_like(w) for w in roles) or any(demonym(t) for t in words):
                return self.before(start, gender=gender)
        return self.bodies.institution(words)


def _role_words(words: list[Token]) -> list[str]:
    """The words of a description before its first preposition, in lower case, without
    determiners and adjectives of time ("la maire de Lyon" -> maire, "the defense lawyer"
    -> defense, lawyer); empty when it begins with a name or an institution's capital."""
    roles, named = [], False
    for t in words:
        if t.low in _PREPOSITIONS:
            break
        if t.low in DETERMINERS or t.low in NOT_ROLES or t.low in {
                "new", "top", "même", "premiers", "premières", "derniers", "dernières"}:
            continue
        if t.text[:1].isupper() and t.low not in ROLE_NOUNS and not demonym(t):
            named = True  # "the California Democrat": a name only if no role noun ends it
        elif named and t.text.islower() and words[0].low in {"le", "la", "l"}:
            return []  # "La France insoumise": an adjective after a name is part of it
        roles.append(t.low)
    return [] if named and not (roles and role_like(roles[-1])) else roles
