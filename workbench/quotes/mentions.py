"""Who an article names: a small person-name detector.

Names are runs of capitalised words ("Vladimir Poutine", "Jean-Marc Le Gall", "Charles de
Gaulle"), two to four long, without an organisation or place word ("Times", "Sommet"). Such
a run is a person when its first name is a known one, when an honorific ("M.", "Mme", "Dr")
or a role noun ("le pédiatre", "Le ministre des Transports, ...", "..., présidente de la
région") stands beside it, or when its surname is written after an honorific elsewhere in
the article; a known first name alone is a person in the forms local news gives ordinary
people ("Sandrine, 38 ans", "Kevin R.", "son fils Mathieu"). A single capitalised word is a
mention of the person whose surname or first name it is ("Poutine", "Mme Brun"). The words
beside each person's mentions ("la pédiatre", "présidente de la région") are remembered as
what describes them, and give their gender with the first names and honorifics.
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.quotes.bodies import ORGANISATION_NOUNS, capitalised
from workbench.quotes.lexicon import DETERMINERS, TITLES
from workbench.quotes.people import (BROADER, EXPANSIONS, HEADS, HONORIFICS, NOT_PERSON,
                                     PARTICLES, ROLE_NOUNS, demonym, first_name_gender, noun_gender,
                                     role_like, stem, words_gender)
from workbench.quotes.spans import ABBREVIATIONS
from workbench.quotes.tokens import Token, byline_ranges

_STOPS = frozenset({".", "!", "?", ";", ":", "«", "»", "“", "”", '"', "(", ")"})
_TIES = frozenset({"’", "'", "-"})
_PLACES = frozenset({"ville", "pays", "province", "canton", "quartier", "village", "île", "city",
                     "town", "state", "county", "country"})
_KIN = frozenset({"fils", "fille", "mari", "femme", "épouse", "époux", "frère", "sœur", "mère",
                  "père", "voisin", "voisine", "ami", "amie", "compagnon", "compagne", "oncle",
                  "tante", "cousin", "cousine", "son", "daughter", "wife", "husband", "brother",
                  "sister", "neighbor", "friend"})
_OBLIQUE = frozenset({"à", "au", "aux", "de", "du", "des", "d", "avec", "face", "contre", "par",
                      "pour", "chez", "envers", "sur", "with", "to", "against", "by", "from",
                      "of", "about", "than"})
# Words that end the description before a name: what precedes them is about someone else.
_OTHER_PERSON = frozenset({"and", "et", "with", "avec", "who", "qui", "que", "than", "que"})
# Words beside a name that describe no role ("l'ancien ministre", "the former senator").
NOT_ROLES = frozenset({"ancien", "ancienne", "ex", "former", "nouveau", "nouvelle", "jeune",
                       "dont", "avec", "pour", "dans", "sous", "from", "with", "that", "this"})


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


class Mentions:
    """The people one article names, in order: where each is named, their gender and what
    describes them."""

    def __init__(self, tokens: list[Token], text: str):
        self.tokens, self.text = tokens, text
        units = _units(tokens, text)
        self.caps = [capitalised(t) for t in tokens]
        runs = self._runs(units)
        titled_surnames = {self._word(a, b).lower() for a, b in units
                           if self.caps[a] and self._honorific_before(a)}
        self.bylines = bylines = byline_ranges(text)
        persons = [run for run in runs if self._is_person(run, titled_surnames) and not any(
            a <= tokens[run[0][0]].start < b for a, b in bylines)]  # "ici Gard Lozère" no one
        fullest = _fullest({self._name(run) for run in persons})
        self.ends: dict[str, list[tuple[int, str]]] = {}
        for run in persons:  # "Poutine" -> "Vladimir Poutine"
            name = fullest[self._name(run)]
            for end in {self._word(*run[-1]).lower(), self._word(*run[0]).lower()}:
                self.ends.setdefault(end, []).append((run[0][0], name))
        inside = {u[0] for run in persons for u in run}
        mentions = [(run[0][0], fullest[self._name(run)]) for run in persons]
        for a, b in units:
            if a in inside or not self.caps[a]:
                continue
            word = self._word(a, b).lower()
            if a > 0 and self.caps[a - 1] and tokens[a - 1].low not in HONORIFICS \
                    and not first_name_gender(tokens[a - 1].low):
                continue  # "Transports Morvan", "Maison Ravenel": a company, not Fabienne Morvan
            if word in self.ends:  # the full name written last before, else the first one
                named = [n for i, n in self.ends[word] if i < a] or [self.ends[word][0][1]]
                mentions.append((a, named[-1]))
            elif self._honorific_before(a) and tokens[a].low not in NOT_PERSON:
                mentions.append((a, self._word(a, b)))
            elif first_name_gender(word):
                name = self._first_name_only(a, b)
                if name:
                    mentions.append((a, name))
                    self.ends.setdefault(word, []).append((a, name))
        mentions = sorted(m for m in mentions
                          if not any(a <= tokens[m[0]].start < b for a, b in bylines))
        self.positions = [tokens[i].start for i, _ in mentions]
        self.mentions = [n for _, n in mentions]
        self.people = set(self.mentions)
        self.oblique = [self._oblique(i) for i, _ in mentions]
        self.sentence = _sentence_starts(tokens, [i for i, _ in mentions])
        self.joined = [i > 0 and tokens[i - 1].low in {"et", "and"} for i, _ in mentions]
        self.said: tuple[tuple[int, int], ...] = ()  # ranges whose mentions ``before`` skips
        self.genders: dict[str, str] = {}
        self.described: dict[str, set[str]] = {}
        for i, name in mentions:
            before, after = self._beside(i, len(name.split()))
            words = {stem(EXPANSIONS.get(w, w)) for w in before + after
                     if (len(w) > 3 or w in EXPANSIONS) and w not in NOT_ROLES}
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
            k = self._before_article(a)
            place = k >= 0 and self.tokens[k].low in {"du", "de", "d"}  # "de l'Aude", "du Gers"
            if len(run) > 2 and (not first_name_gender(self._word(*run[0])) or place) and (
                    first_name_gender(self._word(*run[1])) or self.tokens[a].low in _LEADING
                    or (a > 0 and self.tokens[a - 1].low in {"le", "la", "l", "’", "'"})):
                run = run[1:]  # "Pour Annabelle Roux", "du Gers Philippe Darrieussecq", "la
                # Fidjienne Losana Waqavonovono", "Pour Kadri Lepik", "de l'Aude Cédric Mallet"
            if 2 <= len(run) <= 4 and not any(self.tokens[k].low in NOT_PERSON
                                              for u in run for k in range(*u)):
                runs.append(run)
            n = m
        return runs

    def _before_article(self, i: int) -> int:
        """The token before the one at i, over an elided article ("de l'Aude": "de")."""
        k = i - 1 - (i > 0 and self.tokens[i - 1].text in {"’", "'"})
        return k - (k > 0 and self.tokens[k].low == "l")

    def _first_name_only(self, a: int, b: int) -> str | None:
        """A person named by a first name alone, as local news names ordinary people:
        "Sandrine, 38 ans", "Kevin R.", "son fils Mathieu"; else None."""
        tokens, n = self.tokens, len(self.tokens)
        if b + 1 < n and len(tokens[b].text) == 1 and tokens[b].text.isupper() \
                and tokens[b + 1].text == ".":
            return self.text[tokens[a].start:tokens[b + 1].end]  # "Kevin R."
        aged = b + 1 < n and tokens[b].text == "," and (
            tokens[b + 1].text.isdigit() or role_like(tokens[b + 1].low))  # ", maraîcher"
        described = a > 0 and (tokens[a - 1].low in ROLE_NOUNS or tokens[a - 1].low in _KIN)
        return self._word(a, b) if aged or described else None

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
                and self.tokens[k].low not in _OTHER_PERSON \
                and "\n" not in self.text[self.tokens[k].end:self.tokens[k + 1].start]:
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
        if first_name_gender(self._word(*run[0])) or self._honorific_before(a):
            return True  # "la conseillère d'opposition Gwenaëlle Trémel"
        k = self._before_article(a)
        if k > 0 and self.tokens[k].low in {"de", "du", "d", "chez"} and (
                role_like(self.tokens[k - 1].low) or k > 1 and self.tokens[k - 1].low in {
                    "général", "générale"} and self.tokens[k - 2].low in HEADS):
            return False  # "le patron de Télé Azur", "la fondatrice de Nord Images"
        kind = a - 1 - (a > 1 and self.tokens[a - 1].text.islower()
                        and self.tokens[a - 2].low in ORGANISATION_NOUNS)
        if a > 0 and self.tokens[kind].low in (ORGANISATION_NOUNS | _PLACES) - {
                "opposition", "majorité"}:
            return False  # "la région Grand Est", "le groupe Metalis", "la chaîne régionale
            # Télé Azur"; not "d'opposition X"
        if self._word(*run[-1]).lower() in titled:
            return True
        before, after = self._beside(a, len(run))
        end = run[-1][1]
        aged = end + 2 < len(self.tokens) and self.tokens[end].text == "," and \
            self.tokens[end + 1].text.isdigit() and self.tokens[end + 2].low in {"ans", "years"}
        head = before[1:2] if before[:1] in (["le"], ["la"], ["l"], ["the"]) else []
        return aged or any(role_like(w) for w in before[-4:] + head + after[:3])

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

    def _index(self, offset: int) -> int:
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo


# Capitalised words that open a sentence before a name, never part of it.
_LEADING = frozenset({"pour", "selon", "avec", "sans", "chez", "après", "avant", "contre",
                      "entre", "malgré", "depuis", "pendant", "vers", "dès", "face", "quant",
                      "interrogé", "interrogée", "contacté", "contactée", "joint", "jointe"})


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


def _fullest(names: set[str]) -> dict[str, str]:
    """Each person's name as the article writes it most fully ("Mme Ndiaye Sarr" is "Awa
    Ndiaye Sarr", "le Pr Yao Kouassi" "Yao Kouassi Bertin")."""
    return {name: max((other for other in names if other.endswith(" " + name)
                       or other.startswith(name + " ")), key=len, default=name)
            for name in names}
