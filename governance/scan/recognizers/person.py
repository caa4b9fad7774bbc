"""Persons: names judged on the column's values together, against a compact multilingual names list.

A single value ("Rossi", "Paris", "Nike") proves little; a column in which most distinct values are
known given or family names (or combinations of them), with no legal forms (GmbH, S.A.S., Ltd) and
not mostly place names, is a column of persons. spaCy's NER remains the signal for free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from governance.scan.recognizers.base import ColumnEvidence, ColumnRecognizer
from governance.scan.recognizers.resources import family_names, given_names, places
from governance.scan.recognizers.script import known_in, latin_forms

PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ter", "ten", "zu", "y", "e", "i", "in", "het", "mc", "mac", "bin", "al", "el", "st"]
)
LEGAL_FORMS = frozenset(
    ["gmbh", "ag", "kg", "ohg", "ug", "gbr", "ev", "e.v.", "sarl", "s.a.r.l.", "sas", "s.a.s.", "sa", "s.a.", "snc", "eurl", "spa", "s.p.a.", "srl", "s.r.l.", "sapa", "ltd", "limited", "plc", "inc", "llc", "corp", "corporation", "co", "company", "group", "gruppe", "groupe", "gruppo", "grupo", "bv", "b.v.", "nv", "n.v.", "sl", "s.l.", "s.com.", "scoop", "sp.", "z", "o.o.", "sp.k.", "spółka", "holding", "holdings", "fundacja", "stiftung", "foundation", "partners", "&", "and", "und", "et",
    # the legal forms of the other EU/EEA countries, the UK, Switzerland and Turkey (ISO 20275's
    # entity legal forms, as written after a company name)
     "gesmbh", "ges.m.b.h.", "og", "kg", "bvba", "sprl", "cvba", "vzw", "asbl", "sca", "scrl", "ood", "eood",
       "ad", "ead", "s.r.o.", "sro", "spol.", "a.s.", "k.s.", "v.o.s.", "aps", "a/s", "i/s", "k/s", "amba", "oü",
       "ou", "mtü", "oy", "oyj", "ky", "tmi", "a.e.", "ae", "e.p.e.", "epe", "ike", "o.e.", "kft", "kft.", "zrt",
       "zrt.", "nyrt", "nyrt.", "bt", "bt.", "kkt", "d.o.o.", "doo", "d.d.", "dd", "j.d.o.o.", "ehf", "ehf.", "hf",
       "hf.", "dac", "clg", "teo", "teoranta", "sia", "uab", "mb", "s.à", "r.l.", "sàrl", "s.à.r.l.", "asa", "as",
       "ab", "hb", "kb", "lda", "lda.", "unipessoal", "s.r.l", "srl.", "pfa", "s.c.", "sc", "s.p.", "s.l.u.",
       "slu", "s.coop.", "sll", "s.n.c.", "s.a.s", "coop", "cooperativa", "genossenschaft", "eg", "vof", "v.o.f.",
       "cv", "c.v.", "a.ş.", "aş", "şti.", "şti", "sti.", "ltd.", "gmbh.", "ag.", "inc.", "llp", "lp"]
)
# words of a trade or an industry that name companies without a legal form (`Halk Sigorta`, `Hansa Borg
# Bryggerier`, `Seyitler Kimya Sanayi`), in the product's languages: a value carrying one is a company's
# name, as one carrying a legal form is
TRADE_WORDS = frozenset(
    ["bank", "banka", "bankası", "bankasi", "banco", "banque", "insurance", "versicherung", "versicherungen",
     "assurance", "assurances", "assicurazioni", "seguros", "sigorta", "forsikring", "försäkring",
     "industries", "industry", "industrie", "industria", "industrias", "sanayi", "sanayii", "chemicals",
     "chemie", "chimica", "química", "kimya", "logistics", "logistik", "logistique", "logistica", "lojistik",
     "energy", "energie", "energia", "enerji", "telecom", "telekom", "pharma", "pharmaceuticals", "foods",
     "food", "gıda", "gida", "motors", "otomotiv", "airlines", "airways", "systems", "solutions",
     "technologies", "technology", "software", "consulting", "services", "ticaret", "inşaat", "insaat",
     "tekstil", "yatırım", "yatirim", "construction", "construcciones", "construtora", "comercial",
     "comércio", "comercio", "alimentos", "transportes", "transport", "distribuidora", "servicios",
     "serviços", "bryggerier", "bryggeri", "brauerei", "mining", "cement", "cimento",
     "çimento", "elektrik", "electric", "electronics", "elektronik", "media", "medya",
     "банк", "завод", "компания", "холдинг", "страхование", "страхова", "агро", "трейд", "групп", "груп",
     "τράπεζα", "ασφαλιστική", "εμπορική", "βιομηχανία"]
)
# patronymics: a father's (or mother's) given name and a suffix (Icelandic Jónsson, Guðmundsdóttir; East
# Slavic Ivanovich, Petrovna, Петрович): the suffix, then the given name's genitive ending come off, and
# what is left, or it with a nominative ending (Guðmund-ur, Traust-i), must be a known given name
PATRONYMIC_SUFFIXES = (
    "sdóttir", "dóttir", "sdottir", "dottir", "sson", "son",
    "ovich", "evich", "ovna", "evna", "ovych", "ivna", "ichna",
    "ович", "евич", "овна", "евна", "ївна", "івна", "ична", "ич",
)
_GENITIVE_ENDINGS = ("ar", "s", "a", "u")
_NOMINATIVE_ENDINGS = ("", "ur", "i", "ir", "a", "r")
SINGLE_WORD_COLUMN = 0.8  # share of single-word values that makes a column one of single names
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_BAD = re.compile(r"[\d@/#:_=<>{}\[\]]")


@dataclass(frozen=True)
class NameShares:
    names: float  # values made of known names
    legal: float  # values carrying a legal form (companies)
    places: float  # values that are known place names
    distinct: int
    names_only: float = 0.0  # values made of known names that are no known place
    places_only: float = 0.0  # values that are known places and not made of known names, or of several words


def capitalised_name(value: str) -> bool:
    """A name starts with a capital once its leading particles are set aside (`van der Berg`,
    `de Dardel`, `di Stefano` are capitalised names; `auch` is not a particle)."""
    words = value.split()
    first = next((w for w in words if w.lower() not in PARTICLES), "")
    return first[:1].isupper()


def patronymic(word: str, given: frozenset[str] | None = None) -> bool:
    """A lower-case word made of a known given name and a patronymic suffix (`guðmundsdóttir`,
    `traustason`, `petersson`, `ivanovich`, `петрович`; not `season`, `garrison`)."""
    given = given if given is not None else given_names()
    for suffix in PATRONYMIC_SUFFIXES:
        # a stem of three letters only before a genitive s (`jónsson`; not `season`, `person`)
        if word.endswith(suffix) and len(word) - len(suffix) >= (3 if suffix in ("sson", "sdóttir", "sdottir") else 4):
            stem = word[: -len(suffix)]
            roots = [stem] + [stem[: -len(e)] for e in _GENITIVE_ENDINGS if stem.endswith(e) and len(stem) - len(e) >= 3]
            return any(root + ending in given for root in roots for ending in _NOMINATIVE_ENDINGS)
    return False


# endings that only family names have, in Cyrillic and Greek script and in their Latin spellings:
# Ukrainian -енко, -чук, -юк; East Slavic -ович, -ський/-ский, -ов/-ова, -ев/-ева; Greek -πουλος, -άκης,
# -ίδης, -ίδου, -όγλου (the names list lacks the rarer ones: `Андрейко` aside, `Медведенко`, `Τζανουδάκης`)
SURNAME_ENDINGS = (
    "енко", "чук", "юк", "ович", "евич", "ський", "ська", "цький", "цька", "ский", "ская", "цкий", "цкая",
    "ов", "ова", "ев", "ева", "ёв", "ёва", "єв", "єва",
    "πουλος", "πούλος", "πούλου", "πουλου", "άκης", "ακης", "άκη", "ίδης", "ιδης", "ίδου", "ιδου", "άδης",
    "αδης", "άδου", "όγλου", "ογλου", "άτος", "ατος", "έλλης",
    "enko", "chuk", "opoulos", "opoulou", "akis", "idis", "idou", "oglou",
    # the family-name endings of other languages, in their scripts and Latin spellings: Russian and
    # Turkic -ov/-ova/-ev/-eva/-yev (Aliyev, Nurlanova), Kazakh and Kyrgyz -uly/-kyzy (Ахметұлы), Persian
    # and Azerbaijani -zade, Turkish and Azerbaijani -oğlu/-oglu, Romanian -escu/-eanu, South Slavic
    # -ović/-ević, Polish -ski/-ska/-cki/-wicz, Czech and Slovak -ský/-ová, Armenian -yan/-ян, Georgian
    # -shvili/-dze, Lithuanian -ienė/-aitė/-ytė/-ūtė/-auskas/-evičius/-aitis, Latvian diminutive family names
    # -iņš/-iņa, -ītis/-īte and -ējs/-ēja (Bērziņš, Rudzīte, Kalējs: the names list knows few of them)
    "ov", "ova", "ev", "eva", "yev", "yeva", "iev", "ieva", "uly", "kyzy", "qyzy", "qızı", "ұлы", "улы",
    "қызы", "кызы", "zade", "zadeh", "zadə", "заде", "зода", "oğlu", "oglu", "ogly", "оглы", "оглу", "escu", "eanu",
    "ović", "ovic", "ević", "evic", "овић", "евић", "ski", "ska", "cki", "cka", "wicz", "ský", "ová", "yan", "ян",
    "shvili", "швили", "dze", "дзе", "ienė", "aitė", "auskas", "ytė", "ūtė", "evičius", "avičius", "aitis",
    "iņš", "iņa", "ītis", "īte", "ējs", "ēja",
)


def surname_shaped(word: str) -> bool:
    """A word of six letters or more with an ending only family names have (`медведенко`, `τζανουδάκης`)."""
    return len(word) >= 6 and word.endswith(SURNAME_ENDINGS)


def known_word(word: str, given: frozenset[str], family: frozenset[str]) -> bool:
    """A known given or family name, or a patronymic of a known given name; a Cyrillic or Greek word
    also in one of its Latin spellings (`шевченко` as `shevchenko`, `παπαδόπουλος` as `papadopoulos`)."""
    if word in given or word in family or patronymic(word, given) or surname_shaped(word):
        return True
    return any(form in given or form in family or patronymic(form, given) for form in latin_forms(word))


def made_of_names(value: str, given: frozenset[str] | None = None, family: frozenset[str] | None = None) -> bool:
    """A capitalised value of one to five words, no legal form or trade word, whose words are known given
    or family names (one unknown word allowed among three or more: `Maria do Carmo Xyz`)."""
    given = given if given is not None else given_names()
    family = family if family is not None else family_names()
    v = value.strip()
    if len(v) < 2 or len(v) > 60 or _BAD.search(v) or not capitalised_name(v):
        return False
    lowered = v.lower()
    if any(token in LEGAL_FORMS or token in TRADE_WORDS for token in lowered.replace(",", " ").split()):
        return False
    tokens = [t for t in _TOKEN.findall(lowered) if t not in PARTICLES]
    if not tokens or len(tokens) > 5:
        return False
    parts = [p for t in tokens for p in re.split(r"['’-]", t) if len(p) > 1]
    known = sum(1 for p in parts if known_word(p, given, family))
    return bool(parts) and known >= max(1, len(parts) - (1 if len(parts) >= 3 else 0))


def clearly_a_place(place: bool, name: bool, words: int) -> bool:
    """A known place that is no name; or a place of several words that the gazetteer knows whole (`San
    Pedro Garza García`), even when each of its words is a name: a full name is seldom a gazetteer's entry."""
    return place and (not name or words >= 2)


def name_shares(values: list[str]) -> NameShares:
    given, family, known_places = given_names(), family_names(), places()
    names = legal = placed = names_only = places_only = 0
    for value in values:
        v = value.strip()
        if len(v) < 2 or len(v) > 60 or _BAD.search(v) or not capitalised_name(v):
            continue
        lowered = v.lower()
        raw = lowered.replace(",", " ").split()
        if any(token in LEGAL_FORMS or token in TRADE_WORDS for token in raw):
            legal += 1
            continue
        place = known_in(lowered, known_places)
        placed += place
        name = made_of_names(v, given, family)
        names += name
        names_only += name and not place
        places_only += clearly_a_place(place, name, len(_TOKEN.findall(lowered)))
    n = len(values) or 1
    return NameShares(names / n, legal / n, placed / n, len(values), names_only / n, places_only / n)


def person_like_share(values: list[str], tagged: set[str]) -> float:
    """The share of values that are person-like: tagged PERSON by the NER model, or made of known names.
    A word standing alone is read by the company it keeps: in a column mostly of single words (a list of
    surnames or of given names) a known name is a person's; in a column that also holds values of several
    words (full names), a lone word the model does not take for a person is no one's full name (`Natura`,
    `Roots`: brand words that a names list of many countries knows as somebody's name)."""
    if not values:
        return 0.0
    given, family = given_names(), family_names()
    words = [len(_TOKEN.findall(v)) for v in values]
    singles_by_list = sum(1 for n in words if n == 1) >= SINGLE_WORD_COLUMN * len(values)
    return sum(
        1
        for v, n in zip(values, words, strict=True)
        if v in tagged or ((n >= 2 or singles_by_list) and made_of_names(v, given, family))
    ) / len(values)


def known_name(span: str) -> bool:
    """Does a span spaCy tagged PERSON hold a known given or family name? (In prose in a language the
    English model does not know, it tags capitalised words at random.)"""
    given, family = given_names(), family_names()
    tokens = [t for t in _TOKEN.findall(span.lower()) if t not in PARTICLES]
    return len(tokens) >= 2 and all(known_word(t, given, family) for t in tokens)


def known_names_only(span: str) -> bool:
    """Is every word of the span a known given or family name (`john`, `anna müller`)?"""
    given, family = given_names(), family_names()
    tokens = [t for t in _TOKEN.findall(span.lower()) if t not in PARTICLES]
    return bool(tokens) and all(known_word(t, given, family) for t in tokens)


def ner_person_counts(span: str, free_text: bool) -> bool:
    """May a span spaCy tagged PERSON count? Capitals are the English model's cue for a name: in prose
    it needs a known given and family name (`known_name`), and on a structured value written without
    capitals (a status `zrušeno`, a lower-cased `john smith`) every word must be a known name."""
    if free_text:
        return known_name(span)
    return any(ch.isupper() for ch in span) or known_names_only(span)


class PersonRecognizer(ColumnRecognizer):
    entity = "PERSON"
    names = (
        r"(first|given|last|family|middle|full|sur|maiden|fore|customer|contact|requester|person|holder|"
        r"cardholder|account_?holder|recipient|patient|employee|owner|billing|shipping)_?name|firstname|lastname|"
        r"surname|forename|fullname|name_on_account|name_on_card|vorname|nachname|familienname|"
        r"prenom|nom|nom_?complet|nom_?de_?famille|nome|cognome|nominativo|nombre|apellidos?|nombre_?completo|"
        r"voornaam|achternaam|naam|imie|nazwisko|imie_?i_?nazwisko"
    )
    min_distinct: ClassVar[int] = 25

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        if len(values) < self.min_distinct:
            return None
        shares = name_shares(values)
        return ColumnEvidence(self.entity, shares.names, 0.8) if shares.legal < 0.1 else None
