"""Who a source refers to: a small person-name detector and the speaker resolution.

Names are runs of capitalised words ("Vladimir Poutine", "Jean-Marc Le Gall", "Charles de
Gaulle"), two to four long, without an organisation or place word ("Times", "Sommet"). Such
a run is a person when its first name is a known one, when an honorific ("M.", "Mme", "Dr")
or a role noun ("le pédiatre", "Le ministre des Transports, ...", "..., présidente de la
région") stands beside it, or when its surname is written after an honorific elsewhere in
the article. A single capitalised word is a mention of the person whose surname or first
name it is ("Poutine", "Mme Brun"). The words beside each person's mentions ("la pédiatre",
"présidente de la région") are remembered as what describes them, and give their gender
with the first names and honorifics.

Resolution of a source, in text order: a pronoun or an anaphor ("il", "celle-ci", "ce
dernier", "l'intéressée") is the most recent person of its gender named before it (one
named after a preposition giving way to a subject named just before), "qui" its
antecedent; a source naming one person is that person, under the article's fullest form of
the name; a description ("la magistrate", "l'avocate de la famille") is the most recent
person it described before, else, for a role noun, the most recent person of its gender;
an indefinite or plural description ("une voisine", "les syndicats") is no one, unless a
spokesperson or a study of a named body ("une étude de l'Insee"); a description of an
organisation ("le festival", "l'entreprise") is the one named last (``bodies``); any other
source with a capital is the institution it names, from its first capital ("la direction
des Papeteries de l'Aisne" -> "Papeteries de l'Aisne"), an acronym spelt out.
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.quotes.bodies import ORGANISATION_NOUNS, Bodies, capitalised
from workbench.quotes.lexicon import COUNTERPARTS, DETERMINERS, PLURAL_TITLES, PRONOUNS, TITLES
from workbench.quotes.people import (ANAPHORS, BROADER, EVIDENCE, EXPANSIONS,
                                     HONORIFICS, INDEFINITE, NOT_PERSON,
                                     PARTICLES, ROLE_NOUNS, SPOKESPEOPLE, demonym,
                                     first_name_gender, noun_gender, role_like, stem,
                                     words_gender)
from workbench.quotes.spans import ABBREVIATIONS
from workbench.quotes.tokens import Token

_ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "the", "a", "an"})
# The gender a source's first word gives the institution it names ("la préfecture" -> "elle").
_BODY_GENDER = {"la": "f", "une": "f", "cette": "f", "le": "m", "un": "m", "ce": "m", "cet": "m",
                "les": "p", "des": "p", "ces": "p"}
_PLURAL_DETERMINERS = frozenset({"les", "des", "ces", "leurs", "ses", "the"})
_STOPS = frozenset({".", "!", "?", ";", ":", "«", "»", "“", "”", '"', "(", ")"})
_TIES = frozenset({"’", "'", "-"})
_NEARBY = 300  # characters: a pronoun this close after a source may point back to its speaker
_PLACES = frozenset({"ville", "pays", "province", "canton", "quartier", "village", "île", "city",
                     "town", "state", "county", "country"})
_THEY = frozenset({"ils", "elles", "eux", "they", "them"})
_OBLIQUE = frozenset({"à", "au", "aux", "de", "du", "des", "d", "avec", "face", "contre", "par",
                      "pour", "chez", "envers", "sur", "with", "to", "against", "by", "from",
                      "of", "about", "than"})
# Words that end the description before a name: what precedes them is about someone else.
_OTHER_PERSON = frozenset({"and", "et", "with", "avec", "who", "qui", "que", "than", "que"})
_NOT_ROLES = frozenset({"ancien", "ancienne", "former", "nouveau", "nouvelle", "jeune",
                        "dont", "avec", "pour", "dans", "sous", "from", "with", "that", "this"})
_PREPOSITIONS = frozenset({"de", "du", "des", "d", "of", "for", "at", "from", "in", "à", "au",
                           "aux", "chez", "on", "with", "avec", "en", "sur", "pour"})


def _units(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of words, a compound joined by hyphens ("Jean-Marc", "celle-ci") as one."""
    units, i = [], 0
    while i < len(tokens):
        j = i + 1
        while (j + 1 < len(tokens) and tokens[j].text == "-" and tokens[j].start == tokens[j - 1].end
               and tokens[j + 1].start == tokens[j].end and tokens[j + 1].text.isalpha()):
            j += 2
        units.append((i, j))
        i = j
    return units


class Speakers:
    """The person mentions of one article, in order, to resolve its sources against."""

    def __init__(self, tokens: list[Token], text: str):
        self.tokens, self.text = tokens, text
        units = _units(tokens, text)
        self.caps = [capitalised(t) for t in tokens]
        runs = self._runs(units)
        titled_surnames = {self._word(a, b).lower() for a, b in units
                           if self.caps[a] and self._honorific_before(a)}
        persons = [run for run in runs if self._is_person(run, titled_surnames)]
        self.ends: dict[str, list[tuple[int, str]]] = {}
        for run in persons:  # "Poutine" -> "Vladimir Poutine"
            name = self._name(run)
            for end in {self._word(*run[-1]).lower(), self._word(*run[0]).lower()}:
                self.ends.setdefault(end, []).append((run[0][0], name))
        inside = {u[0] for run in persons for u in run}
        mentions = [(run[0][0], self._name(run)) for run in persons]
        for a, b in units:
            if a in inside or not self.caps[a]:
                continue
            word = self._word(a, b).lower()
            if word in self.ends:  # the full name written last before, else the first one
                named = [n for i, n in self.ends[word] if i < a] or [self.ends[word][0][1]]
                mentions.append((a, named[-1]))
            elif self._honorific_before(a) and tokens[a].low not in NOT_PERSON:
                mentions.append((a, self._word(a, b)))
        mentions.sort()
        self.positions = [tokens[i].start for i, _ in mentions]
        self.mentions = [n for _, n in mentions]
        self.people = set(self.mentions)
        self.oblique = [self._oblique(i) for i, _ in mentions]
        self.sentence = _sentence_starts(tokens, [i for i, _ in mentions])
        self.joined = [i > 0 and tokens[i - 1].low in {"et", "and"} for i, _ in mentions]
        self.said: tuple[tuple[int, int], ...] = ()  # the content of the source resolved now
        self.bodies = Bodies(tokens, text)
        self.last: str | None = None  # the speaker resolved last, for "son homologue"
        self.last_at = 0  # where its source ends
        self.last_gender: str | None = None  # an institution's, as its last source gave it
        self.last_kind = ""  # and the noun of its kind ("agence"), "" when none was written
        self.genders: dict[str, str] = {}
        self.described: dict[str, set[str]] = {}
        for i, name in mentions:
            before, after = self._beside(i, len(name.split()))
            words = {stem(EXPANSIONS.get(w, w)) for w in before + after
                     if (len(w) > 3 or w in EXPANSIONS) and w not in _NOT_ROLES}
            self.described.setdefault(name, set()).update(
                words | {BROADER[w] for w in words if w in BROADER})
            gender = (first_name_gender(name.split()[0]) or self._honorific_gender(i)
                      or words_gender(before) or words_gender(after[:3]))
            if gender and name not in self.genders:
                self.genders[name] = gender

    def _word(self, a: int, b: int) -> str:
        return self.text[self.tokens[a].start:self.tokens[b - 1].end]

    def _name(self, run: list[tuple[int, int]]) -> str:
        return self.text[self.tokens[run[0][0]].start:self.tokens[run[-1][1] - 1].end]

    def _runs(self, units: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        """Runs of two to four capitalised words (particles inside), on one line."""
        runs, n = [], 0
        while n < len(units):
            a, b = units[n]
            if not self.caps[a] or self.tokens[a].text in {"Le", "La", "De"} \
                    or self.tokens[a].low in TITLES or self.tokens[a].low in ABBREVIATIONS:
                n += 1
                continue
            run, m = [units[n]], n + 1
            while m < len(units):
                c, d = units[m]
                if "\n" in self.text[self.tokens[c - 1].end:self.tokens[c].start]:
                    break
                if self.caps[c] or (
                        self.tokens[c].text in {"Le", "La", "De", "Du", "Van", "Von", "Di", "Da",
                                                "Ben", "El", "Al"}):
                    pass
                elif not (self.tokens[c].low in PARTICLES and len(run) == 1
                          and first_name_gender(self._word(a, b))):
                    break
                if m + 1 < len(units) or self.caps[c]:
                    run.append(units[m])
                m += 1
            while run and not capitalised(self.tokens[run[-1][0]]):
                run.pop()
            if len(run) > 2 and not first_name_gender(self._word(*run[0])) \
                    and first_name_gender(self._word(*run[1])):
                run = run[1:]  # "Pour Annabelle Roux", "du Gers Philippe Darrieussecq"
            if 2 <= len(run) <= 4 and not any(self.tokens[k].low in NOT_PERSON
                                              for u in run for k in range(*u)):
                runs.append(run)
            n = m
        return runs

    def _oblique(self, i: int) -> bool:
        """Whether the mention at token i follows a preposition (over its determiner, title
        or honorific): not the subject of its sentence."""
        k = i - 1
        while k >= 0 and (self.tokens[k].low in DETERMINERS or self.tokens[k].low in ROLE_NOUNS
                          or self.tokens[k].low in HONORIFICS or self.tokens[k].text in _TIES
                          or self.tokens[k].text == "." or demonym(self.tokens[k])):
            k -= 1
        return k >= 0 and self.tokens[k].low in _OBLIQUE

    def _honorific_before(self, i: int) -> bool:
        """An honorific or a title written before the name ("M.", "Gov.", "Senator")."""
        k = i - 1 - (i > 0 and self.tokens[i - 1].text == ".")
        return k >= 0 and self.tokens[k].text[:1].isupper() and (
            self.tokens[k].low in HONORIFICS or self.tokens[k].low in ABBREVIATIONS
            or self.tokens[k].low in TITLES)

    def _honorific_gender(self, i: int) -> str | None:
        k = i - 1 - (i > 0 and self.tokens[i - 1].text == ".")
        if k >= 0 and self._honorific_before(i):
            return HONORIFICS.get(self.tokens[k].low) or noun_gender(self.tokens[k].low)
        return None

    def _beside(self, i: int, length: int) -> tuple[list[str], list[str]]:
        """The words describing a mention: its noun phrase before (over one comma: "Le
        ministre des Transports, X") and its apposition after (", présidente de ...")."""
        before, k, commas = [], i - 1, 0
        if k > 0 and self.tokens[k].text == "." and self.tokens[k - 1].low in ABBREVIATIONS:
            k -= 1  # "Gov. Marcus Webb"
        while k >= 0 and len(before) < 8 and self.tokens[k].text not in _STOPS \
                and self.tokens[k].low not in _OTHER_PERSON:
            if self.tokens[k].text == ",":
                commas += 1
                if commas > 1:
                    break
            elif self.tokens[k].text.isalpha():
                before.insert(0, self.tokens[k].low)
            k -= 1
        after, k = [], i + length
        while k < len(self.tokens) and self.tokens[k].text in _TIES | {"-"} | set("’'"):
            k += 1
        k = next((j for j in range(k, min(k + 4, len(self.tokens)))
                  if not self.tokens[j].text.isalpha() or self.tokens[j].low in ROLE_NOUNS), k)
        if k + 1 < len(self.tokens) and self.tokens[k].text == "," and (
                self.tokens[k + 1].low in DETERMINERS or self.tokens[k + 1].low in ROLE_NOUNS):
            k += 1  # an apposition: ", présidente de la région", ", a spokeswoman for"
            while k < len(self.tokens) and len(after) < 6 and self.tokens[k].text not in _STOPS \
                    and self.tokens[k].text != "," and self.tokens[k].low not in _OTHER_PERSON:
                if self.tokens[k].text.isalpha():
                    after.append(self.tokens[k].low)
                k += 1
        return before, after

    def _is_person(self, run: list[tuple[int, int]], titled: set[str]) -> bool:
        a = run[0][0]
        if a > 0 and self.tokens[a - 1].low in ORGANISATION_NOUNS | _PLACES:
            return False  # "la région Grand Est", "le groupe Metalis"
        if first_name_gender(self._word(*run[0])) or self._honorific_before(a):
            return True
        if self._word(*run[-1]).lower() in titled:
            return True
        before, after = self._beside(a, len(run))
        end = run[-1][1]
        aged = end + 2 < len(self.tokens) and self.tokens[end].text == "," and \
            self.tokens[end + 1].text.isdigit() and self.tokens[end + 2].low in {"ans", "years"}
        head = before[1:2] if before[:1] in (["le"], ["la"], ["l"], ["the"]) else []
        return aged or any(w in ROLE_NOUNS for w in before[-4:] + head + after[:3])

    def before(self, offset: int, other_than: str | None = None,
               gender: str | None = None) -> str | None:
        """The most recent person named before a character offset, not ``other_than`` and of
        a compatible gender; within that mention's sentence, the first one named outside a
        preposition is preferred: the subject ("Hugo Lemaire a reçu Klaus Becker", "Inès
        Carvalho s'est imposée face à Daria Kovalenko"), unless the two are coordinated
        ("Xi et Poutine")."""
        def fits(k: int) -> bool:
            name = self.mentions[k]
            return name != other_than and not self._in_content(k) and not (
                gender and self.genders.get(name, gender) != gender)

        k = bisect_left(self.positions, offset)
        while k:
            k -= 1
            if not fits(k):
                continue
            best, j = k, k
            while j and self.sentence[j - 1] == self.sentence[k] and not self.joined[k]:
                j -= 1
                if fits(j) and not self.oblique[j]:
                    best = j
            return self.mentions[best]
        return None

    def _in_content(self, k: int) -> bool:
        return any(a <= self.positions[k] < b for a, b in self.said)

    def resolve(self, start: int, end: int, said: tuple[tuple[int, int], ...] = ()) -> str | None:
        """The speaker of the source spanning characters ``start``..``end``, in text order;
        ``said``: its content's character ranges, where the speaker is not named ("« M.
        Tessier a menti », a-t-il lancé")."""
        self.said = said
        speaker = self._resolve(start, end)
        if speaker:
            self.last, self.last_at = speaker, end
            first = self.tokens[self._index(start)].low
            plural = speaker.split()[0].lower().endswith(("s", "x"))
            self.last_gender = "p" if plural else _BODY_GENDER.get(first)
        if speaker and speaker not in self.people:
            kind = next((t.low for t in self.tokens[self._index(start):self._index(end)]
                         if t.low in ORGANISATION_NOUNS), "")
            self.bodies.add(start, kind, speaker)  # an institution that later sources describe
            self.last_kind = kind
        return speaker

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
        while k < len(self.positions) and self._in_content(k):
            k += 1
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
        if any(w in PLURAL_TITLES for w in lows):
            return None  # "les deux Présidents", "the senators"
        if any(w in COUNTERPARTS for w in lows):
            return self.before(start, other_than=self.last)
        roles = _role_words(words)
        kinds = [w for w in lows if w in ORGANISATION_NOUNS]
        if kinds and (set(roles) & SPOKESPEOPLE or not any(
                role_like(w) and w not in ORGANISATION_NOUNS for w in roles)):
            # "le festival", "la direction", "le porte-parole de l'entreprise"
            if not any(capitalised(t) or t.text.isupper() for t in words if t.low not in DETERMINERS):
                body = self.bodies.before(start, kinds[0]) or (
                    self._last_body(start, kinds[0]) if lows[0] in _ARTICLES - INDEFINITE else None)
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
            for stems in ({stem(w) for w in roles if w in ROLE_NOUNS}, {stem(w) for w in roles}):
                k = bisect_left(self.positions, start)
                while stems and k:  # the most recent person the article described so
                    k -= 1
                    name = self.mentions[k]
                    if stems & self.described.get(name, set()) and (
                            not gender or self.genders.get(name, gender) == gender):
                        return name
            if any(role_like(w) for w in roles) or any(demonym(t) for t in words):
                return self.before(start, gender=gender)
        return self.bodies.institution(words)

    def _index(self, offset: int) -> int:
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _sentence_starts(tokens: list[Token], indices: list[int]) -> list[int]:
    """For each token index (in order), the index of the token that starts its sentence."""
    starts, start, k = [], 0, 0
    for i in indices:
        while k < i:
            if tokens[k].text in {".", "!", "?"} or "\n" in tokens[k].text:
                start = k + 1
            k += 1
        starts.append(start)
    return starts


def _role_words(words: list[Token]) -> list[str]:
    """The words of a description before its first preposition, in lower case, without
    determiners and adjectives of time ("la maire de Lyon" -> maire, "the defense lawyer"
    -> defense, lawyer); empty when it begins with a name or an institution's capital."""
    roles, named = [], False
    for t in words:
        if t.low in _PREPOSITIONS:
            break
        if t.low in DETERMINERS or t.low in _NOT_ROLES or t.low in {
                "new", "top", "même", "premiers", "premières", "derniers", "dernières"}:
            continue
        if t.text[:1].isupper() and t.low not in ROLE_NOUNS and not demonym(t):
            named = True  # "the California Democrat": a name only if no role noun ends it
        elif named and t.text.islower() and words[0].low in {"le", "la", "l"}:
            return []  # "La France insoumise": an adjective after a name is part of it
        roles.append(t.low)
    return [] if named and not (roles and role_like(roles[-1])) else roles
