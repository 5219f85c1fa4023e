"""Who a source refers to: a small person-name detector and the speaker resolution.

Names are runs of capitalised tokens ("Vladimir Poutine", "Elizabeth Warren"), two or
more long, without an organisation or place word ("Times", "House", "Sommet"); a single
capitalised token is a name after a title ("Senator Warren", "M. Macron") or when it is
one end of a full name found anywhere in the article ("Warren", "Poutine").

A source that is a pronoun ("il", "she") or a description with a title ("the senator",
"le ministre") resolves to the most recent person named before it; a source that
contains a name resolves to that name, completed to the article's full name; any other
source with a capital (an institution, a newspaper) is its own speaker; the rest
("a source", "officials", "they") stays unresolved.
"""

from __future__ import annotations

from bisect import bisect_left

from workbench.quotes.lexicon import COUNTERPARTS, DETERMINERS, PLURAL_TITLES, PRONOUNS, TITLES
from workbench.quotes.tokens import Token

_NOT_PERSON = frozenset({
    "times", "post", "news", "house", "service", "department", "party", "committee", "sommet",
    "jeux", "traité", "union", "nations", "court", "street", "journal", "press", "agency",
    "ministère", "république", "états", "etats", "unis", "united", "states", "congress",
    "senate", "cnn", "fox", "msnbc", "nbc", "abc", "cbs", "bbc", "afp", "reuters", "republican",
    "republicans", "democratic", "democrats", "democrat", "gop", "assemblée", "parti", "conseil",
    "centre", "center", "university", "université", "institute", "institut", "new", "york",
    "washington", "america", "american", "americans", "europe", "france", "chine", "russie",
    "china", "russia", "pékin", "moscou", "paris", "london", "londres", "beijing", "moscow",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi",
    "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre", "foundation", "fondation", "bank", "banque", "club",
    "group", "groupe", "school", "école", "hospital", "hôpital", "council", "commission",
    "office", "bureau", "ville", "city", "county", "region", "région", "ministry", "ministre",
    "trump", "tower", "campaign", "white", "national", "nationale", "clinic", "clinique",
})
_LINKS = frozenset({"-", "de", "van", "von", "der", "da", "du", "le", "la", "bin", "al"})


_FEMININE = frozenset({"mme", "madame", "ms", "mrs", "miss", "présidente",
                       "directrice", "sénatrice", "députée", "chancelière", "candidate",
                       "conseillère", "procureure", "préfète", "avocate", "dirigeante",
                       "congresswoman", "spokeswoman", "première", "gouverneure"})
_MASCULINE = frozenset({"m", "monsieur", "mr", "président", "directeur",
                        "sénateur", "député", "chancelier", "candidat", "conseiller",
                        "procureur", "préfet", "avocat", "dirigeant", "congressman",
                        "spokesman", "premier", "gouverneur"})
_ARTICLES = {"la": "f", "une": "f", "le": "m", "un": "m"}
_GENERIC_TITLES = frozenset({"m", "mme", "mr", "mrs", "ms", "dr", "chef", "premier",
                             "première", "responsable", "official"})
FIRST_NAMES = {name: gender for names, gender in (
    ("marie anne sophie claire isabelle catherine nathalie christine sylvie valérie julie "
     "camille léa manon emma chloé sarah laura céline aurélie caroline élisabeth elisabeth "
     "agnès ségolène marine martine françoise monique hélène laurence véronique sandrine "
     "stéphanie émilie pauline charlotte lucie alice louise jeanne margaux inès clara mathilde "
     "élise juliette amélie virginie patricia brigitte nicole hillary elizabeth nancy kamala "
     "jennifer susan mary karen lisa michelle angela ursula theresa jane anna maria élodie "
     "audrey mélanie delphine florence corinne karine rachida najat fatima yasmina leïla "
     "aurore clémence estelle gaëlle solène noémie zoé jade océane eva nadia samia carole", "f"),
    ("jean pierre paul marc michel philippe alain nicolas françois emmanuel jacques louis "
     "thomas julien antoine olivier laurent éric eric christophe stéphane david sébastien "
     "vincent frédéric patrick bruno gérald gabriel édouard bernard daniel hugo lucas maxime "
     "mathieu yves luc marcel georges henri xavier benoît raphaël donald joe barack bernie "
     "ted mike john tom bill chris marco jeb mitt vladimir xi jinping boris olaf karim ahmed "
     "mohamed rachid youssef mehdi samuel simon arnaud guillaume romain damien cédric fabien "
     "jérôme didier gilles thierry pascal dominique-jean lionel manuel jordan éloi adrien "
     "théo léo nathan baptiste quentin tim james robert michael william richard charles "
     "joseph kevin brian george ronald mitch chuck rand ben", "m")) for name in names.split()}


def _gender(words: list[str]) -> str | None:
    """"f" or "m" when the words before a name (or a description) say it, else None."""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word in _ARTICLES:  # "la ministre", "le maire": the article before a title
            if k + 1 < len(words) and words[k + 1] in TITLES:
                return _ARTICLES[word]
        elif word in _FEMININE:
            return "f"
        elif word in _MASCULINE:
            return "m"
    return None


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.text.isalpha() and len(token.text) > 1 \
        and not token.text.isupper() and token.low not in DETERMINERS \
        and token.low not in PRONOUNS  # an acronym (CGT, NATO) is no person's name


def full_names(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of two or more capitalised tokens that read as a person's name."""
    found = []
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i]) or tokens[i].low in TITLES:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (_capitalised(tokens[j]) or (
                tokens[j].low in _LINKS and j + 1 < len(tokens) and _capitalised(tokens[j + 1])
                and tokens[j].text == "-")) and "\n" not in text[tokens[j - 1].end:tokens[j].start]:
            j += 1
        if j - i >= 2 and j - i <= 4 and not any(t.low in _NOT_PERSON for t in tokens[i:j]):
            found.append((i, j))
        i = j
    return found


class Speakers:
    """The person mentions of one article, in order, to resolve its sources against."""

    def __init__(self, tokens: list[Token], text: str):
        self.tokens, self.text = tokens, text
        fulls = full_names(tokens, text)
        self.names = {self._name(a, b) for a, b in fulls}
        ends: dict[str, str] = {}
        for a, b in fulls:  # "Poutine" -> "Vladimir Poutine"; the first full name wins
            name = self._name(a, b)
            ends.setdefault(tokens[a].low, name)
            ends.setdefault(tokens[b - 1].low, name)
        self.ends = ends
        mentions: list[tuple[int, str]] = [(tokens[a].start, self._name(a, b)) for a, b in fulls]
        inside = {k for a, b in fulls for k in range(a, b)}
        for i, token in enumerate(tokens):
            if i in inside or not _capitalised(token) or token.low in _NOT_PERSON:
                continue
            titled = i > 0 and tokens[i - 1].low in TITLES | {"."}
            if token.low in ends or (titled and token.low not in TITLES):
                mentions.append((token.start, ends.get(token.low, token.text)))
        mentions.sort()
        self.positions = [p for p, _ in mentions]
        self.mentions = [n for _, n in mentions]
        self.last: str | None = None  # the speaker resolved last, for "son homologue"
        self.genders: dict[str, str] = {}
        self.titles: dict[str, set[str]] = {}
        index = {t.start: i for i, t in enumerate(tokens)}
        for position, name in mentions:  # gender and titles from the words around each mention
            i = index[position]
            around = [t.low for t in tokens[max(0, i - 5):i]]
            after = [t.low for t in tokens[i + len(name.split()):i + len(name.split()) + 5]]
            self.titles.setdefault(name, set()).update(w for w in around + after if w in TITLES)
            gender = _gender(around) or FIRST_NAMES.get(name.split()[0].lower())
            if gender and name not in self.genders:
                self.genders[name] = gender

    def _name(self, a: int, b: int) -> str:
        return self.text[self.tokens[a].start:self.tokens[b - 1].end]

    def before(self, offset: int, other_than: str | None = None, gender: str | None = None,
               titles: set[str] | frozenset = frozenset()) -> str | None:
        """The most recent person named before a character offset: not ``other_than``, of a
        compatible gender, and, when some earlier person bore one of ``titles``, that one."""
        k = bisect_left(self.positions, offset)
        fallback = None
        while k:
            name = self.mentions[k - 1]
            k -= 1
            if name == other_than or (gender and self.genders.get(name, gender) != gender):
                continue
            if not titles or self.titles.get(name, set()) & titles:
                return name
            fallback = fallback or name
        return fallback

    def resolve(self, start: int, end: int) -> str | None:
        """The speaker of the source spanning characters ``start``..``end``, in text order."""
        speaker = self._resolve(start, end)
        self.last = speaker or self.last
        return speaker

    def _resolve(self, start: int, end: int) -> str | None:
        words = [t for t in self.tokens[self._index(start):self._index(end)] if t.text.isalpha()]
        if not words:
            return None
        lows = [t.low for t in words]
        if len(words) == 1 and lows[0] in PRONOUNS:
            gender = PRONOUNS[lows[0]]
            return self.before(start, gender=gender) if gender in "mf" else None
        if any(low in PLURAL_TITLES for low in lows):
            return None  # a group
        if any(low in COUNTERPARTS for low in lows):
            return self.before(start, other_than=self.last)
        k = bisect_left(self.positions, start)
        if k < len(self.positions) and self.positions[k] < end:
            several = k + 1 < len(self.positions) and self.positions[k + 1] < end
            return None if several else self.mentions[k]  # "Xi et Poutine": no one name
        capitals = [t for t in words[1:] if _capitalised(t)] + \
            ([words[0]] if _capitalised(words[0]) else [])
        if any(low in TITLES for low in lows) and not any(
                t.low not in TITLES and t.low not in _NOT_PERSON for t in capitals):
            # "the senator", "la ministre", "le Président russe"
            return self.before(start, gender=_gender(lows),
                               titles={w for w in lows if w in TITLES} - _GENERIC_TITLES)
        if capitals:  # an institution or a newspaper, without its article
            first = self._index(start)
            while first < len(self.tokens) and self.tokens[first].low in DETERMINERS | {"’", "'"}:
                first += 1
            if self.tokens[first].start < end:
                return self.text[self.tokens[first].start:end]
            return self.text[start:end]
        return None

    def _index(self, offset: int) -> int:
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid].start < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo
