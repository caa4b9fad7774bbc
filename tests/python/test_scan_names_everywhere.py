"""The sixth round's rules of the PII scan: names, towns and streets of languages the lists cover poorly
(every Cyrillic alphabet, Latin letters with diacritics, family-name endings of many languages, streets
of many words, a postcode after its abbreviation), towns that are also names, and closed lists (brands)
that mix a few full names with words that are nobody's name. Values are made by each rule's own
definition (invented words of a seeded generator, a handful of common words written here); no value is
copied from the benchmark. Each test removes its rule once (a mutation) and shows the test would fail."""

from __future__ import annotations

import random
import re

from governance.scan import classifier, decisions
from governance.scan.recognizers import address, person, script
from governance.scan.thresholds import Thresholds
from tests.python.test_scan_recognizers import decided, evidence

T = Thresholds()


def invented_words(count: int, seed: int, syllables: int = 3) -> list[str]:
    """Capitalised words that are in no list (consonant-vowel syllables of a seeded generator)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(syllables)).capitalize()
        if word not in out:
            out.append(word)
    return out


# --- letters of every Cyrillic alphabet and Latin letters with diacritics ---------------------------


def test_letters_of_every_cyrillic_alphabet_have_latin_spellings(monkeypatch) -> None:
    assert "kairat" in script.latin_forms("қайрат")  # Kazakh
    assert "qaraghandy" in script.latin_forms("қарағанды")
    assert "djordjevic" in script.latin_forms("ђорђевић")  # Serbian
    assert "kulob" in script.latin_forms("кӯлоб")  # Tajik: a letter with a diacritic reads as its base
    assert script.known_in("өскемен", frozenset({"oskemen"}))
    assert script.latin_forms("աբ") == ()  # another script: no spellings
    # mutation: without the Kazakh letters a Kazakh word is unreadable
    table = {k: v for k, v in script._CYRILLIC.items() if k not in "әғқңөұүһ"}
    monkeypatch.setattr(script, "_CYRILLIC", table)
    script.latin_forms.cache_clear()
    try:
        assert script.latin_forms("қайрат") == ()
    finally:
        monkeypatch.undo()
        script.latin_forms.cache_clear()


def test_latin_letters_with_diacritics_are_also_looked_up_plain(monkeypatch) -> None:
    assert {"aliyev", "eliyev"} <= set(script.latin_forms("əliyev"))  # Azerbaijani schwa
    assert "sheki" in script.latin_forms("şəki")
    assert "stefanescu" in script.latin_forms("ștefănescu")  # Romanian comma below, breve
    assert "lodz" in script.latin_forms("łódź")
    assert script.latin_forms("smith") == ()  # plain words are looked up as they are
    assert script.known_in("qəbələ", frozenset({"qabala"}))
    # mutation: Latin words read only as they are
    monkeypatch.setattr(script, "_latin_choices", lambda word: None)
    script.latin_forms.cache_clear()
    try:
        assert not script.known_in("qəbələ", frozenset({"qabala"}))
    finally:
        monkeypatch.undo()
        script.latin_forms.cache_clear()


def test_family_names_of_many_languages_are_known_by_their_endings(monkeypatch) -> None:
    endings = ["ov", "ova", "yev", "uly", "kyzy", "zade", "oglu", "escu", "ović", "ski", "ska", "yan", "shvili", "dze"]
    stems = invented_words(60, seed=11, syllables=3)
    surnames = [f"{stem}{endings[i % len(endings)]}" for i, stem in enumerate(stems)]
    assert "PERSON" in decided("c07", "VARCHAR", surnames)
    for word in ("ахметұлы", "мамедова", "qurbanzadə"):
        assert person.surname_shaped(word), word
    # hard negative: the same invented stems without an ending are nobody's name
    assert "PERSON" not in decided("c07", "VARCHAR", stems)
    # mutation: the endings of the Cyrillic and Greek scripts only (the fifth round's)
    monkeypatch.setattr(person, "SURNAME_ENDINGS", person.SURNAME_ENDINGS[: person.SURNAME_ENDINGS.index("ov")])
    assert "PERSON" not in decided("c07", "VARCHAR", surnames)


# --- streets and addresses ---------------------------------------------------------------------------


def street_names(count: int, seed: int) -> list[str]:
    """Street names of three to six words without a street word (invented words, particles): streets
    named after a person or a date, as much of Latin America writes them."""
    rng = random.Random(seed)
    words = invented_words(80, seed=seed)
    out = []
    for _ in range(count):
        name = rng.sample(words, rng.randint(3, 5))
        if rng.random() < 0.5:
            name.insert(2, rng.choice(("de", "del", "de la")))
        out.append(" ".join(name))
    return out


def test_streets_of_many_words_are_streets_not_prose(monkeypatch) -> None:
    rng = random.Random(4)
    streets = [f"{name} {rng.choice(('', '#'))}{rng.randint(1, 3000)}" for name in street_names(60, seed=5)]
    assert not classifier._free_text(streets)
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", streets)
    # hard negative: sentences of as many words are prose
    prose = [f"the parcel for {w} was late by {rng.randint(2, 9)} days" for w in invented_words(40, seed=6)]
    assert classifier._free_text(prose)
    # mutation: a street of many words read as prose is judged by no street rule of its column
    monkeypatch.setattr(classifier, "street_shaped_share", lambda values: 0.0)
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", streets)


def test_a_house_number_after_a_number_sign_and_before_a_flat() -> None:
    assert address.name_then_number_street("Calle Zuvamo Ketira #123") == ("123", "calle zuvamo ketira")
    assert address.name_then_number_street("Av. Zuvamo Ketira 123 Int. 4") is not None
    assert address.name_then_number_street("Zuvamo Ketira No. 12") is not None
    assert address.name_then_number_street("Zuvamo Ketira 12 lo que sea") is None  # words after the number
    assert address.street_like("küç. Zuvamo 12") and address.street_like("Zuvamo көшесі 12")


def test_a_postcode_after_its_abbreviation_is_a_postcode_segment(monkeypatch) -> None:
    monkeypatch.setattr(address, "places", lambda: frozenset({"ketira"}))
    assert address.postcode_and_town_segments("Zuvamo Bel 12, C.P. 12345, Ketira")
    assert address.postcode_and_town_segments("Ketira ş., Zuvamo küç. 12, m. 4, AZ1000")
    assert not address.postcode_and_town_segments("Zuvamo Bel 12, order 12345, Ketira")
    monkeypatch.setattr(address, "_POSTCODE_SEGMENT", re.compile(r"^(?:[A-Z]{1,3}-?)?\d{4,6}$"))
    assert not address.postcode_and_town_segments("Zuvamo Bel 12, C.P. 12345, Ketira")


# --- towns that are also names -----------------------------------------------------------------------


def test_towns_whose_words_are_names_are_places(monkeypatch) -> None:
    given, family = invented_words(30, seed=21), invented_words(30, seed=22)
    rng = random.Random(23)
    towns = [f"{rng.choice(('San', 'Santa'))} {g} {f}" for g, f in zip(given, family, strict=True)]
    singles = invented_words(10, seed=24)
    names = {w.lower() for w in given} | {w.lower() for w in family} | {"san", "santa"}
    known_places = {t.lower() for t in towns[:24]} | {w.lower() for w in singles}
    monkeypatch.setattr(person, "given_names", lambda: frozenset(names))
    monkeypatch.setattr(person, "family_names", lambda: frozenset(names))
    monkeypatch.setattr(person, "places", lambda: frozenset(known_places))
    monkeypatch.setattr(address, "places", lambda: frozenset(known_places))
    column = towns + singles[:4]
    shares = person.name_shares(column)
    assert shares.places_only > shares.names_only  # the gazetteer knows the towns of several words whole
    assert decided("c07", "VARCHAR", column) == {"LOCATION"}
    # surnames that are also towns stay persons: the names the gazetteer lacks decide
    surnames = family + given[:10]
    monkeypatch.setattr(address, "places", lambda: frozenset(w.lower() for w in family[:20]))
    monkeypatch.setattr(person, "places", lambda: frozenset(w.lower() for w in family[:20]))
    assert decided("c07", "VARCHAR", surnames) == {"PERSON"}
    # mutation: a town of several words counted as a place only when it is no name
    monkeypatch.setattr(person, "places", lambda: frozenset(known_places))
    monkeypatch.setattr(address, "places", lambda: frozenset(known_places))
    monkeypatch.setattr(person, "clearly_a_place", lambda place, name, words: place and not name)
    assert "LOCATION" not in decided("c07", "VARCHAR", column)


# --- closed lists: brands among full names -------------------------------------------------------------


def closed_list(values: list[str], tagged: set[str]) -> decisions.Evidence:
    """A small column judged with the NER model's PERSON tags given (the model itself is not run)."""
    part = evidence("c07", "VARCHAR", values)
    part.ner_values = list(values)
    part.ner_total = part.ner_candidates = len(values)
    part.ner_hits = {"PERSON": len(tagged)}
    part.ner_person_values = set(tagged)
    part.person_like_share = person.person_like_share(values, tagged)
    return part


def test_a_closed_list_of_brands_with_a_few_full_names_is_not_persons(monkeypatch) -> None:
    given, family = invented_words(12, seed=31), invented_words(12, seed=32)
    brand_words = invented_words(12, seed=33)
    names = {w.lower() for w in given + family} | {w.lower() for w in brand_words[:6]}  # some brand words are names
    monkeypatch.setattr(person, "given_names", lambda: frozenset(names))
    monkeypatch.setattr(person, "family_names", lambda: frozenset(names))
    full_names = [f"{g} {f}" for g, f in zip(given, family, strict=True)]
    brands = full_names[:11] + brand_words + [f"{family[11]} Foods"]  # 24 values: 11 full names, a trade word
    part = closed_list(brands, set(full_names[:11]))
    assert part.known_name_share >= T.ner_person_known_share
    assert "PERSON" not in {f.entity for f in decisions.decide_part(part, T)}
    # a sales team of twenty: almost every value a full name (a few the model does not tag) stays persons
    team = full_names + [f"{f} {g}" for g, f in zip(given[:8], family[4:], strict=True)]
    part = closed_list(team, set(team[:12]))
    assert "PERSON" in {f.entity for f in decisions.decide_part(part, T)}
    # a list of single names stays persons by the names list
    singles = [w for w in given + family][:20]
    part = closed_list(singles, set(singles[:8]))
    assert "PERSON" in {f.entity for f in decisions.decide_part(part, T)}
    # mutation: without the closed-list rule the brand list is taken for persons
    monkeypatch.setattr(decisions, "closed_list_of_mixed_things", lambda part, t: False)
    part = closed_list(brands, set(full_names[:11]))
    assert "PERSON" in {f.entity for f in decisions.decide_part(part, T)}


def test_closed_lists_with_the_real_ner_model(monkeypatch) -> None:
    """The same two lists through the classifier and the real spaCy model: a sales team of twenty full
    names is persons (fail closed), a brand list of invented brand words with a few full names is not."""
    from faker import Faker

    from governance.scan.classifier import Classifier
    from governance.scan.sampling import ColumnInfo

    fake = Faker("en_US")
    fake.seed_instance(7)
    team = list(dict.fromkeys(f"{fake.first_name()} {fake.last_name()}" for _ in range(40)))[:20]
    brands = team[:11] + invented_words(11, seed=41, syllables=2) + [f"{w} Foods" for w in invented_words(2, seed=42)]

    def found() -> dict[str, set[str]]:
        results = Classifier({}).classify_table(
            [ColumnInfo("c07", "VARCHAR"), ColumnInfo("c08", "VARCHAR")], {"c07": team, "c08": brands}
        )
        return {r.column: {e.entity for e in r.entities} for r in results}

    first = found()
    assert "PERSON" in first["c07"]
    assert "PERSON" not in first["c08"]
    # mutation: without the closed-list rule the model's tags on the full names take the list for persons
    monkeypatch.setattr(decisions, "closed_list_of_mixed_things", lambda part, t: False)
    assert "PERSON" in found()["c08"]
