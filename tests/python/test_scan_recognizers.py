"""Each recognizer and each decision of the PII scan, fed from the labelled benchmark's training part
(Faker, four locales) and its hard negatives: fast, no database, no spaCy. The stock table's hard
negatives of new shapes (ISBNs, tariff codes, reviews, ...) come from Faker in the training locales too.

The held-out parts (mimesis, other locales, opaque names) are never used here: they only measure. The
decisions added after the second held-out part was committed are also fed from Faker in locales that no
held-out part has (hu_HU, ro_RO, hr_HR, sl_SI, tr_TR, nl_BE, de_CH, et_EE, el_GR, no_NO). The rules of
the fourth round are fed from the training generator, or from values made here by the rule's own
definition (seven-digit numbers valid in Iceland's plan, Hungarian tax numbers by their check digit).
"""

from __future__ import annotations

import functools
import time

import pytest

from benchmarks import scan_corpus
from governance.scan import decisions
from governance.scan.classifier import Classifier, flatten_json, infer_region, name_signals
from governance.scan.recognizers import COLUMN_RECOGNIZERS, VALUE_RECOGNIZERS, digit_count
from governance.scan.sampling import ColumnInfo, bounded_distinct
from governance.scan.thresholds import Thresholds

ROWS = 80
T = Thresholds()
SQL_KIND = {"bigint": "BIGINT", "integer": "INTEGER", "date": "DATE", "timestamp": "TIMESTAMP"}


@functools.cache
def labelled(locale: str) -> list[tuple[str, str, list[str], scan_corpus.Label]]:
    """(key, SQL type, distinct values as text, label) of every column of the locale's two tables."""
    out = []
    for kind, make in (("people", scan_corpus.people_columns), ("shop", scan_corpus.shop_columns)):
        source = scan_corpus.FakerSource(locale, f"unit|{locale}|{kind}")
        for key, sqltype, maker, label in make(source, [0]):
            values = bounded_distinct([maker() for _ in range(ROWS)], 100, 42)
            out.append((key, SQL_KIND.get(sqltype, "DECIMAL(12,2)" if sqltype.startswith("decimal") else "VARCHAR"),
                        values, label))
    return out


def columns_of(entity: str | None = None, hard: bool = False):
    for locale in scan_corpus.TRAIN_LOCALES:
        for key, sqltype, values, label in labelled(locale):
            if (entity is not None and label.entities == {entity}) or (hard and label.hard_negative):
                yield f"{locale}.{key}", sqltype, values, label


def evidence(name: str, sqltype: str, values: list[str], region: str | None = None) -> decisions.Evidence:
    """What the classifier gathers for a column, NER left out."""
    classifier = Classifier({}, engine=object())  # an engine it must not need here
    _, parts = classifier._prepare(ColumnInfo(name, sqltype), values, region)
    return parts[0]


def decided(name: str, sqltype: str, values: list[str], region: str | None = None) -> set[str]:
    part = evidence(name, sqltype, values, region)
    part.ner_values = []  # the decisions without spaCy
    return {f.entity for f in decisions.decide_part(part, T)}


VALUE_ENTITIES = sorted(
    {r.entity for r in VALUE_RECOGNIZERS} & {e for loc in scan_corpus.TRAIN_LOCALES for *_, lab in labelled(loc)
                                            for e in lab.entities}
)


@pytest.mark.parametrize("entity", VALUE_ENTITIES)
def test_value_recognizer_finds_its_entity_in_labelled_values(entity: str) -> None:
    recognizer = next(r for r in VALUE_RECOGNIZERS if r.entity == entity)
    for where, sqltype, values, _ in columns_of(entity):
        if sqltype != "VARCHAR":
            continue
        found = sum(
            1 for v in values if recognizer.pretest(v, digit_count(v)) and any(h.whole for h in recognizer.analyze(v))
        )
        assert found >= 0.8 * len(values), f"{entity} in {where}: {found}/{len(values)}"


@pytest.mark.parametrize("recognizer", VALUE_RECOGNIZERS, ids=lambda r: r.entity)
def test_value_recognizer_stays_quiet_on_hard_negatives(recognizer) -> None:
    for where, sqltype, values, _ in columns_of(hard=True):
        if sqltype != "VARCHAR":
            continue
        hits = [h for v in values if recognizer.pretest(v, digit_count(v)) for h in recognizer.analyze(v)]
        whole_clear = sum(1 for h in hits if h.whole and h.clear and h.score >= T.accept_score)
        assert whole_clear < T.structured_coverage * len(values), f"{recognizer.entity} on {where}"


@pytest.mark.parametrize(
    "entity", ["PERSON", "LOCATION", "POSTAL_CODE", "DATE_OF_BIRTH", "PHONE_NUMBER", "CREDIT_CARD", "STREET_ADDRESS",
               "IBAN_CODE", "SWIFT_CODE", "DE_TAX_ID", "FR_NIR", "IT_FISCAL_CODE", "US_SSN", "EMAIL_ADDRESS"]
)
def test_each_labelled_column_is_decided_by_its_values_and_by_its_name(entity: str) -> None:
    """The training columns of the entity, under an opaque name and under their own name."""
    for where, sqltype, values, _ in columns_of(entity):
        key = where.split(".", 1)[1]
        by_name = scan_corpus.ENGLISH[key]
        assert entity in decided(by_name, sqltype, values), f"{where} as {by_name}"
        if entity in ("POSTAL_CODE",) and all(v.strip().isdigit() for v in values):
            continue  # five bare digits are a postcode only when the name says so
        if entity == "LOCATION" and where.startswith(("en_US", "fr_FR")):
            continue  # Faker's American and French towns are invented ("New Jeffreymouth"): the name decides
        assert entity in decided("c07", sqltype, values), f"{where} under an opaque name"


def test_hard_negatives_are_not_personal_under_their_name_or_an_opaque_one() -> None:
    for where, sqltype, values, _ in columns_of(hard=True):
        key = where.split(".", 1)[1]
        assert decided(scan_corpus.ENGLISH[key], sqltype, values) == set(), where
        assert decided("attr_03", sqltype, values) == set(), where


def test_column_recognizers_judge_values_together() -> None:
    person = next(r for r in COLUMN_RECOGNIZERS if r.entity == "PERSON")
    for where, _, values, _ in columns_of("PERSON"):
        assert person.judge(values).share >= T.name_share, where
    companies = [v for w, _, values, _ in columns_of(hard=True) if w.endswith(".vendor") for v in values]
    assert person.judge(companies) is None  # legal forms: companies, not people
    assert person.judge(["Rossi", "Nike"]) is None  # two values prove nothing


def test_decisions_are_small_functions_with_named_thresholds() -> None:
    assert decisions.accept_pattern_entity("EMAIL_ADDRESS", [(0.9, True)] * 30, 40, False, False, T)
    assert not decisions.accept_pattern_entity("EMAIL_ADDRESS", [(0.9, True)] * 3, 40, False, False, T)
    assert decisions.accept_pattern_entity("EMAIL_ADDRESS", [(0.9, False)] * 3, 40, False, True, T)  # prose
    assert not decisions.accept_pattern_entity("NL_BSN", [(1.0, True)] * 12, 40, False, False, T)  # 30%: chance
    assert decisions.accept_pattern_entity("NL_BSN", [(1.0, True)] * 12, 40, True, False, T)  # named
    stricter = Thresholds(structured_coverage=0.9)
    assert not decisions.accept_pattern_entity("EMAIL_ADDRESS", [(0.9, True)] * 30, 40, False, False, stricter)


def test_phones_and_cards_stored_as_numbers_are_judged_by_value() -> None:
    for entity in ("PHONE_NUMBER", "CREDIT_CARD"):
        numeric = [(w, v) for w, sqltype, v, _ in columns_of(entity) if sqltype == "BIGINT"]
        assert numeric
        for where, values in numeric:
            assert decided("c1", "BIGINT", values) == {entity}, where
    ids = [str(100000 + i) for i in range(80)]
    assert decided("c1", "BIGINT", ids) == set()


def test_phone_region_comes_from_the_country_column_or_the_majority_prefix() -> None:
    columns = [ColumnInfo("state", "VARCHAR"), ColumnInfo("telefon", "VARCHAR")]
    assert infer_region(columns, {"state": ["DE"] * 5 + ["AT"], "telefon": ["030 1234567"]}) is None  # not a country
    for name in ("country", "land", "pays", "kraj", "ship_country"):  # "land": German, Dutch, Nordic
        columns[0] = ColumnInfo(name, "VARCHAR")
        assert infer_region(columns, {name: ["DE"] * 5 + ["AT"], "telefon": []}) == "DE", name
    # the sample holds distinct values: a column of several countries names no region
    assert infer_region(columns, {"ship_country": ["DE", "AT", "FR"], "telefon": []}) is None
    assert infer_region([ColumnInfo("p", "VARCHAR")], {"p": ["+48 512 345 678"] * 6}) == "PL"


def test_column_names_in_the_product_languages() -> None:
    assert name_signals("nachname") == {"PERSON"}
    assert name_signals("code_postal") == {"POSTAL_CODE"}
    assert name_signals("telefoonnummer") == {"PHONE_NUMBER"}
    assert name_signals("data_urodzenia") == {"DATE_OF_BIRTH"}
    assert name_signals("codice_fiscale") == {"IT_FISCAL_CODE"}
    assert name_signals("email_opt_in") == set()


def test_json_paths_never_carry_a_value() -> None:
    documents = [
        '{"by_email": {"anna.rossi@example.org": 1}, "user": {"name": "Anna Rossi"}}',
        '{"by_email": {"jan.kowalski@example.pl": 2}, "user": {"name": "Jan Kowalski"}}',
    ] + [f'{{"ids": {{"{i:06d}": "x"}}, "users": {{"user_{i}": {{"plan": "a"}}}}}}' for i in range(60)]
    leaves, _ = flatten_json("doc", documents)
    assert set(leaves) == {"doc.by_email.<key>", "doc.user.name", "doc.ids.<key>", "doc.users.<key>.plan"}
    deep = "[" * 40 + "1" + "]" * 40
    leaves, note = flatten_json("doc", [deep, "{not json"])
    assert "nested deeper" in note and "not valid JSON" in note


def test_a_table_past_its_deadline_raises_timeout() -> None:
    classifier = Classifier({}, engine=object())
    with pytest.raises(TimeoutError):
        classifier.classify_table([ColumnInfo("a", "VARCHAR")], {"a": ["x"]}, deadline=time.monotonic() - 1)


def test_value_length_and_column_bytes_are_capped() -> None:
    values = bounded_distinct(["a" * 1_000_000 + str(i) for i in range(200)], 100, 42, max_chars=1000,
                              max_bytes=50_000)
    assert all(len(v) <= 1000 for v in values)
    assert sum(len(v) for v in values) <= 50_000


# --- decisions added after the second held-out part was committed (chosen on the training part and on
# Faker, the training generator, in locales that no held-out part has) ----------------------------------

EXTRA_ID_LOCALES = {
    "nl_BE": "BE_NATIONAL_NUMBER", "de_CH": "CH_AHV", "et_EE": "EE_PERSONAL_CODE", "el_GR": "GR_AMKA",
    "hr_HR": "HR_OIB", "no_NO": "NO_BIRTH_NUMBER", "ro_RO": "RO_CNP",
}
REGIONS = {"en_US": "US", "de_DE": "DE", "fr_FR": "FR", "it_IT": "IT"}


@functools.cache
def faker_values(locale: str, method: str) -> list[str]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(sum(map(ord, f"unit|{locale}|{method}")))
    return bounded_distinct([getattr(fake, method)() for _ in range(ROWS)], 100, 42)


@pytest.mark.parametrize(("locale", "entity"), sorted(EXTRA_ID_LOCALES.items()))
def test_european_identifiers_are_found_by_their_checksum(locale: str, entity: str) -> None:
    values = faker_values(locale, "ssn")
    # in the table's country (the Estonian code has the Lithuanian one's form: without a region both count)
    assert decided("c07", "VARCHAR", values, locale.split("_")[1]) == {entity}, locale
    assert entity in decided("c07", "VARCHAR", values), locale
    # the same values with the last digit changed: the checksum (or the embedded date) fails
    broken = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in values if v[-1].isdigit()]
    assert entity not in decided("c07", "VARCHAR", broken), locale


@pytest.mark.parametrize("locale", ["de_DE", "it_IT", "ro_RO", "hr_HR", "sl_SI", "de_CH"])
def test_towns_are_places_and_surnames_persons_when_a_column_fits_both_lists(locale: str, monkeypatch) -> None:
    assert decided("c07", "VARCHAR", faker_values(locale, "city")) == {"LOCATION"}, locale
    surnames = [v for where, _, values, _ in columns_of("PERSON") if where == "en_US.family" for v in values]
    part = evidence("c07", "VARCHAR", surnames)
    assert part.shares_of("LOCATION") >= 0.3  # many towns bear common English surnames
    assert decided("c07", "VARCHAR", surnames) == {"PERSON"}
    # mutation: places winning whenever they pass their share takes the surnames for towns
    monkeypatch.setattr(decisions, "places_outweigh_names", lambda place, person, *only: place >= T.place_share)
    part = evidence("c07", "VARCHAR", surnames)
    if part.shares_of("LOCATION") >= T.place_share:
        assert decided("c07", "VARCHAR", surnames) == {"LOCATION"}


def test_the_gazetteer_knows_towns_with_and_without_diacritics_and_their_exonyms() -> None:
    from governance.scan.recognizers.resources import places

    known = places()
    for town in ("münchen", "munchen", "malmö", "malmo", "lisbon", "lissabon", "kraków", "krakow", "oulu"):
        assert town in known, town


def test_postcodes_of_bare_digits_need_the_tables_region() -> None:
    for where, sqltype, values, _ in columns_of("POSTAL_CODE"):
        if not all(v.strip().isdigit() for v in values):
            continue
        region = REGIONS[where.split(".")[0]]
        assert "POSTAL_CODE" not in decided("c07", sqltype, values), where  # without a region: any number
        assert decided("c07", sqltype, values, region) == {"POSTAL_CODE"}, where
    # four digits in an Austrian table, but not spread over the country's regions: years
    years = [str(1930 + i) for i in range(80)]
    assert decided("c07", "VARCHAR", years, "AT") == set()
    for where, sqltype, values, _ in columns_of(hard=True):  # nothing the shop sells is a postcode
        assert decided("c07", sqltype, values, REGIONS[where.split(".")[0]]) == set(), where


@pytest.mark.parametrize("locale", ["hu_HU", "hr_HR", "sl_SI", "tr_TR"])
def test_companies_with_other_european_legal_forms_are_not_persons(locale: str) -> None:
    assert decided("c07", "VARCHAR", faker_values(locale, "company")) == set(), locale


@pytest.mark.parametrize("locale", ["hu_HU", "ro_RO"])
def test_streets_in_other_european_languages(locale: str) -> None:
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", faker_values(locale, "street_address")), locale


def test_an_address_ending_in_a_postcode_and_a_known_town_is_an_address_whatever_its_street_word(monkeypatch) -> None:
    from governance.scan.recognizers import address

    addresses = [v.replace("\n", ", ") for v in faker_values("hr_HR", "address")]  # "Medvedgradska 9a, 10000 Zagreb"
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", addresses)
    monkeypatch.setattr(address, "ends_with_postcode_and_town", lambda value: False)  # mutation: street words only
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", addresses)


def test_surnames_with_lower_case_particles_count_as_names(monkeypatch) -> None:
    from governance.scan.recognizers import person

    family = [v for where, _, values, _ in columns_of("PERSON") if where == "de_DE.family" for v in values]
    with_particles = [f"{('van der', 'von', 'de', 'di')[i % 4]} {name}" for i, name in enumerate(family)]
    assert person.name_shares(with_particles).names >= T.name_share
    assert decided("c07", "VARCHAR", with_particles) == {"PERSON"}
    assert not person.capitalised_name("auch Schlauchin") and not person.capitalised_name("van der")
    monkeypatch.setattr(person, "capitalised_name", lambda value: value[0].isupper())  # mutation: the old check
    assert person.name_shares(with_particles).names == 0.0


# --- hard negatives of new shapes (the stock table's classes): fed from the training generator ----------
# (Faker, the training locales). The third held-out part has the same classes in six other languages by
# another generator; it only measures, except for the last test, a regression guard added after it was
# measured.

STOCK_KEYS = [key for key, *_ in scan_corpus.stock_columns(scan_corpus.FakerStockSource("en_US", "keys"), [0])]


@functools.cache
def stock_labelled(locale: str, source: str = "faker") -> list[tuple[str, str, list[str], scan_corpus.Label]]:
    """(key, SQL type, distinct values as text, label) of the locale's stock table."""
    make = scan_corpus.FakerStockSource if source == "faker" else scan_corpus.MimesisSource3
    out = []
    for key, sqltype, maker, label in scan_corpus.stock_columns(make(locale, f"unit|{locale}|stock"), [0]):
        values = bounded_distinct([maker() for _ in range(ROWS)], 100, 42)
        out.append((key, SQL_KIND.get(sqltype, "VARCHAR"), values, label))
    return out


@pytest.mark.parametrize("key", STOCK_KEYS)
def test_each_stock_class_is_not_personal_under_its_name_or_an_opaque_one(key: str) -> None:
    """ISBNs, tariff codes, parcel numbers, VAT numbers, IBAN-shaped ledger codes, lot numbers, formulas,
    versions, machines' hardware addresses, legal names, brands, reviews, descriptions, ...: labelled
    hard negatives of the training generator, in all four training languages."""
    for locale in scan_corpus.TRAIN_LOCALES:
        for name_key, sqltype, values, label in stock_labelled(locale):
            if name_key != key:
                continue
            assert label.hard_negative and not label.personal
            assert decided(key, sqltype, values) == set(), f"{locale}.{key}"
            assert decided("k3_07", sqltype, values) == set(), f"{locale}.{key} under an opaque name"


def stock_values(key: str, locale: str = "de_DE") -> list[str]:
    return next(values for k, _, values, _ in stock_labelled(locale) if k == key)


def test_an_isbn_is_never_a_phone_and_the_check_matters(monkeypatch) -> None:
    from governance.scan.recognizers import contact

    isbns = stock_values("isbn")
    assert all(contact.book_or_trade_code("".join(c for c in v if c.isdigit())) for v in isbns)
    assert not contact.book_or_trade_code("9780306406158")  # a wrong check digit: not an ISBN
    assert not contact.book_or_trade_code("4930306406157")  # not Bookland
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", isbns)
    assert "PHONE_NUMBER" not in decided("isbn", "VARCHAR", isbns)
    hyphenated = [v for v in isbns if "-" in v]
    assert decided("c07", "VARCHAR", hyphenated) == set()
    # mutation: without the ISBN check, and with groups alone making a phone (the rule before), a column
    # of hyphenated ISBNs is taken for phones, as it was
    monkeypatch.setattr(contact, "book_or_trade_code", lambda digits: False)
    monkeypatch.setattr(contact, "_PHONE_PREFIXED", contact._PHONE_FORMATTED)
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", hyphenated)


def test_digits_in_groups_are_a_phone_only_with_a_prefix_or_valid_in_the_tables_region(monkeypatch) -> None:
    from governance.scan.recognizers import contact

    tariff_codes = [v for v in stock_values("hs_code") if " " in v]  # 8471 30 00
    assert decided("c07", "VARCHAR", tariff_codes) == set()
    recognizer = contact.PhoneRecognizer()
    us = ["212.555.0147", "415-555-0132", "617 555 0199"]
    assert all(h.clear for v in us for h in recognizer.analyze(v, "US"))  # valid in the table's region
    assert not any(h.clear for v in us for h in recognizer.analyze(v, None))  # no region: the name decides
    assert all(h.clear for h in recognizer.analyze("030 1234567", None))  # the trunk prefix says phone
    assert all(h.clear for h in recognizer.analyze("+49 30 1234567", None))
    # training phones are still found by their values under an opaque name (their tables' region known)
    for where, sqltype, values, _ in columns_of("PHONE_NUMBER"):
        region = where.split(".")[0].split("_")[1]
        part = evidence("c07", sqltype, values, region)
        assert "PHONE_NUMBER" in {f.entity for f in decisions.decide_part(part, T)}, where
    # mutation: groups alone clear (the rule before) make the tariff codes phones
    monkeypatch.setattr(contact, "_PHONE_PREFIXED", contact._PHONE_FORMATTED)
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", tariff_codes)


def test_a_street_compound_counts_next_to_its_house_number(monkeypatch) -> None:
    from governance.scan.recognizers import address

    for value in ("Hauptstraße 12", "Hauptstr. 7", "Kerkstraat 12-14, 1234 AB Amsterdam", "Mannerheimintie 5 A 3",
                  "Storgatan 3 lgh 1101", "Østergade 4, 2. tv", "663 Dijkstraat"):
        assert address.street_like(value), value
    for value in ("Toaster aus Edelstahl, 3 Jahre Garantie, Service in Luckau.",
                  "Réfrigérateur en inox, garantie 5 ans, SAV à Lyon."):
        assert not address.street_like(value), value
    descriptions = stock_values("description", "fr_FR") + stock_values("description", "de_DE")
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", descriptions)
    for where, sqltype, values, _ in columns_of("STREET_ADDRESS"):  # the training streets are still streets
        assert "STREET_ADDRESS" in decided("c07", sqltype, values), where
    # mutation: a compound's ending anywhere in the value (the rule before) makes "Garantie" a street
    monkeypatch.setattr(address, "_street_names_next_to_house_numbers", lambda value: address._WORD.findall(value))
    assert address.street_like("Toaster aus Edelstahl, 3 Jahre Garantie, Service in Luckau.".lower())


def test_english_prose_is_told_from_prose_in_other_languages() -> None:
    from governance.scan.classifier import english_share

    for lang, notes in scan_corpus.NOTES.items():
        share = english_share(list(notes))
        assert (share >= T.english_prose_share) == (lang in ("en", "au", "ca")), lang  # au, ca: English too
    reviews = {loc: stock_values("review", loc) for loc in scan_corpus.TRAIN_LOCALES}
    assert english_share(reviews["en_US"]) >= T.english_prose_share
    assert all(english_share(reviews[loc]) < T.english_prose_share for loc in ("de_DE", "fr_FR", "it_IT"))


def prose_tagged(values: list[str], entity: str, name: str = "c07", english: bool = False) -> decisions.Evidence:
    """The evidence of a prose column whose every value spaCy tagged with `entity` (no spaCy run)."""
    part = evidence(name, "VARCHAR", values)
    assert part.free_text
    part.english_prose = english
    part.ner_values, part.ner_total, part.ner_candidates = [], len(values), len(values)
    part.ner_hits = {entity: len(values)}
    return part


def test_places_and_persons_in_prose_need_personal_evidence_of_the_same_column(monkeypatch) -> None:
    reviews = stock_values("review", "de_DE")
    entities = lambda part: {f.entity for f in decisions.decide_part(part, T)}  # noqa: E731
    # a town in a review is not where someone lives; a brand read as a person in German is no person
    assert entities(prose_tagged(reviews, "LOCATION")) == set()
    assert entities(prose_tagged(reviews, "PERSON")) == set()
    # English prose about persons: kept; a column name naming the entity: kept
    assert entities(prose_tagged(stock_values("review", "en_US"), "PERSON", english=True)) == {"PERSON"}
    assert "LOCATION" in entities(prose_tagged(reviews, "LOCATION", name="city"))
    # next to contact details in the same column (a note with e-mails), places count again
    notes = [f"{text} Schreiben an anna.{i}@example.org." for i, text in enumerate(reviews)]
    assert {"EMAIL_ADDRESS", "LOCATION"} <= entities(prose_tagged(notes, "LOCATION"))
    # mutation: without the corroboration rule the review is personal, as it was
    monkeypatch.setattr(decisions, "ner_corroborated", lambda *args: True)
    assert entities(prose_tagged(reviews, "LOCATION")) == {"LOCATION"}


@pytest.mark.parametrize("locale", scan_corpus.HELDOUT3_LOCALES)
def test_the_third_held_out_parts_hard_negative_classes_are_not_flagged(locale: str) -> None:
    """Regression guard, added after the third held-out part was measured (its values were never used to
    choose a rule): each of its stock classes, in its language, without spaCy."""
    for key, sqltype, values, label in stock_labelled(locale, "mimesis"):
        assert label.hard_negative
        assert decided(scan_corpus.NATIVE[locale][key], sqltype, values) == set(), f"{locale}.{key}"
        assert decided("n0012", sqltype, values) == set(), f"{locale}.{key} under an opaque name"


def test_a_lower_case_value_tagged_person_counts_only_when_it_is_made_of_known_names() -> None:
    from governance.scan.recognizers.person import ner_person_counts

    # lower-cased names (a normalised export) stay persons; statuses of another language do not
    given = [v.lower() for _, _, values, lab in columns_of("PERSON") for v in values][:40]
    assert sum(ner_person_counts(v, free_text=False) for v in given) >= 0.9 * len(given)
    assert not any(ner_person_counts(v, free_text=False) for v in ("zaplaceno", "doručeno", "zrušeno", "odesláno"))
    assert ner_person_counts("Zaplaceno", free_text=False)  # capitals: the model's own cue decides
    assert not ner_person_counts("Hugo", free_text=True)  # prose: a given and a family name


def test_the_tables_region_says_which_of_two_identifiers_of_the_same_form_a_column_holds() -> None:
    found = {e: decisions.EntityFinding(e, 1.0, 1.0, "values") for e in ("DK_CPR", "IS_KENNITALA")}
    part = decisions.Evidence("c07", [], "text")
    part.region = "IS"
    assert set(decisions.prefer_regional_identifier(found, part)) == {"IS_KENNITALA"}
    part.region = "DK"
    assert set(decisions.prefer_regional_identifier(found, part)) == {"DK_CPR"}
    part.region = "SK"  # the Slovak birth number is the Czech one
    both = {e: decisions.EntityFinding(e, 1.0, 1.0, "values") for e in ("CZ_BIRTH_NUMBER", "DK_CPR")}
    assert set(decisions.prefer_regional_identifier(both, part)) == {"CZ_BIRTH_NUMBER"}
    part.region = None  # not known: both kept (fail closed)
    assert set(decisions.prefer_regional_identifier(found, part)) == {"DK_CPR", "IS_KENNITALA"}
    part.region = "FR"  # neither is the region's: both kept
    assert set(decisions.prefer_regional_identifier(found, part)) == {"DK_CPR", "IS_KENNITALA"}


def test_dotted_dates_as_central_european_languages_write_them() -> None:
    import datetime as dt

    from governance.scan.recognizers.dates import birth_date_like, parse_date

    day = dt.date(1978, 3, 5)
    for written in ("5. 3. 1978", "05.03.1978.", "1978. 03. 05.", "05.03.1978", "1978.03.05"):
        assert parse_date(written) == (day, False), written
    for not_a_date in ("12.23.40", "2.14.3", "v1.0.0", "8471.30.00"):
        assert parse_date(not_a_date) is None, not_a_date
    births = [(dt.date(1940, 1, 1) + dt.timedelta(days=331 * i)).strftime("%-d. %-m. %Y") for i in range(60)]
    assert birth_date_like(births, dt.date(2026, 1, 1)) == 1.0


def test_every_checksum_identifier_is_validated_by_its_python_stdnum_modules() -> None:
    from governance.scan.recognizers.national_ids import EsNifRecognizer, StdnumIdRecognizer

    for recognizer in VALUE_RECOGNIZERS:
        if isinstance(recognizer, StdnumIdRecognizer):
            # python-stdnum's module(s), or a check of its own where python-stdnum has none (Hungary)
            own_check = type(recognizer).validate is not StdnumIdRecognizer.validate
            assert recognizer.modules or own_check, recognizer.entity
    spanish = EsNifRecognizer()
    assert spanish.validate("12345678Z") and spanish.validate("X1234567L")  # a DNI and a NIE
    assert not spanish.validate("12345678A")


# --- the fourth round (after the third held-out part's error list was read; the fourth part, committed
# before it, only measures): fed from the training generator (Faker, the training locales) or from
# values made here by the rule's own definition, never from a held-out part --------------------------


def training_birth_dates() -> list[str]:
    return [v for where, _, values, _ in columns_of("DATE_OF_BIRTH") for v in values]


def test_a_date_written_with_a_trailing_dot_is_not_a_phone(monkeypatch) -> None:
    import datetime as dt
    import re

    from governance.scan.recognizers import contact
    from governance.scan.recognizers.dates import parse_date

    days: list[dt.date] = [parsed[0] for v in training_birth_dates() if (parsed := parse_date(v))]
    assert len(days) >= 40
    croatian = [f"{d:%d.%m.%Y}." for d in days]  # 18.06.1981.
    hungarian = [f"{d:%Y. %m. %d.}" for d in days]  # 1981. 06. 18.
    recognizer = contact.PhoneRecognizer()
    for value in croatian + hungarian:
        assert not recognizer.pretest(value, digit_count(value)), value
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", croatian, "HR")
    assert "DATE_OF_BIRTH" in decided("c07", "VARCHAR", croatian, "HR")
    # eight bare digits stay a phone's business (a Norwegian mobile number is also a day of the year 4123)
    assert not contact.written_date("41231215")
    # mutation: the old guard (day, month, four-digit year and nothing after) lets the trailing dot through
    old = re.compile(r"^(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")
    monkeypatch.setattr(contact, "written_date", lambda v: len(v) <= 10 and bool(old.match(v)))
    assert all(recognizer.pretest(v, digit_count(v)) for v in croatian)
    assert any(recognizer.analyze(v, "HR") for v in croatian)


def test_the_hungarian_tax_number_is_found_by_its_check_digit(monkeypatch) -> None:
    import random

    from governance.scan.recognizers import national_ids

    rng = random.Random(7)
    numbers = [scan_corpus.hu_tax_id(rng) for _ in range(60)]
    assert decided("c07", "VARCHAR", numbers) == {"HU_TAX_ID"}
    assert decided("adoazonosito_jel", "VARCHAR", numbers) == {"HU_TAX_ID"}
    broken = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in numbers]  # the check digit off by one
    assert "HU_TAX_ID" not in decided("c07", "VARCHAR", broken)
    codes = [f"8{rng.randrange(10**9):09d}" for _ in range(60)]  # ten digits starting with 8: 1 in 11 passes
    assert decided("c07", "VARCHAR", codes) == set()
    # mutation: without the check every such code is a tax number
    monkeypatch.setattr(national_ids, "hu_tax_id_valid", lambda text: True)
    assert "HU_TAX_ID" in decided("c07", "VARCHAR", codes)


def seven_digit_numbers(region: str, valid: bool, count: int = 60, seed: int = 3) -> list[str]:
    """Seven-digit numbers written `NNN NNNN`, all valid in `region`'s plan (or random codes)."""
    import random

    import phonenumbers

    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        digits = f"{rng.randrange(10**6, 10**7)}"
        if not valid or phonenumbers.is_valid_number(phonenumbers.parse(digits, region)):
            out.append(f"{digits[:3]} {digits[3:]}")
    return out


def test_a_column_of_short_national_numbers_valid_in_the_tables_region_is_phones(monkeypatch) -> None:
    phones = seven_digit_numbers("IS", valid=True)
    codes = seven_digit_numbers("IS", valid=False)  # random seven-digit codes: about a third valid
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", phones, "IS")
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", phones, None)  # no region: the name decides
    assert "PHONE_NUMBER" in decided("simi", "VARCHAR", phones, None)
    assert decided("c07", "VARCHAR", codes, "IS") == set()
    for where, sqltype, values, _ in columns_of(hard=True):  # the shop's codes in an Icelandic table
        assert "PHONE_NUMBER" not in decided("c07", sqltype, values, "IS"), where
    # codes of which a little over half happen to be valid numbers: short of the column test
    import phonenumbers

    invalid = [c for c in codes if not phonenumbers.is_valid_number(phonenumbers.parse(c.replace(" ", ""), "IS"))]
    mixed = [phones[i] if i % 20 < 11 else invalid[i % len(invalid)] for i in range(40)]  # 55% valid
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", mixed, "IS")
    # mutation: the column test removed (a regional number always counts) takes them for phones...
    monkeypatch.setattr(decisions, "regional_plans", lambda part, t: {"PHONE_NUMBER"})
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", mixed, "IS")
    # ...and without the regional rule the phones are missed, as they were
    monkeypatch.setattr(decisions, "regional_plans", lambda part, t: set())
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", phones, "IS")


def training_given_names() -> list[str]:
    return [v for where, _, values, _ in columns_of("PERSON") if where.endswith(".given") for v in values]


def test_patronymics_of_known_given_names_are_names(monkeypatch) -> None:
    from governance.scan.recognizers import person

    given = training_given_names()
    sons = [f"{name}sson" for name in given]  # Petersson, Annasson
    daughters = [f"{name}sdóttir" for name in given]
    assert person.name_shares(sons + daughters).names >= 0.9
    assert decided("c07", "VARCHAR", daughters) == {"PERSON"}
    for word in ("Season", "Reason", "Person", "Lesson", "Comparison", "Crimson", "Sandwich", "Ostrich"):
        assert not person.patronymic(word.lower()), word
    # mutation: a stem that only starts like a given name (the loose rule) takes words for patronymics
    monkeypatch.setattr(person, "patronymic", lambda word, given=None: word.endswith(("son", "dóttir")))
    assert person.name_shares(["Season", "Reason", "Person", "Lesson"]).names == 1.0


def ner_tagged(values: list[str], name: str = "c07") -> decisions.Evidence:
    """The evidence of a structured column whose every value spaCy tagged PERSON (no spaCy run)."""
    part = evidence(name, "VARCHAR", values)
    assert not part.free_text
    part.ner_values, part.ner_total, part.ner_candidates = [], len(values), len(values)
    part.ner_hits = {"PERSON": len(values)}
    return part


def test_ner_persons_in_a_structured_column_need_some_known_names(monkeypatch) -> None:
    from faker import Faker

    from governance.scan.recognizers import person
    from governance.scan.recognizers.resources import family_names, given_names

    fake = Faker("en_US")
    fake.seed_instance(11)
    # company names without a legal form: capitalised words that are no known name, alone and in pairs
    # (Levira, Viru Olu; the names list is broad: a third of the English dictionary's words are a name)
    words = [w for w in (fake.word() for _ in range(2000)) if not person.known_word(w, given_names(), family_names())]
    firms = bounded_distinct([" ".join(w.capitalize() for w in words[i : i + 1 + i % 2]) for i in range(0, 240, 2)], 100, 42)
    entities = lambda part: {f.entity for f in decisions.decide_part(part, T)}  # noqa: E731
    part = ner_tagged(firms)
    assert part.known_name_share is not None and part.known_name_share < T.ner_person_known_share
    assert "PERSON" not in entities(part)
    assert entities(ner_tagged(firms, name="first_name")) == {"PERSON"}  # the column name says person
    full_names = [v for where, _, values, _ in columns_of("PERSON") if where.endswith("full_name") for v in values]
    assert "PERSON" in entities(ner_tagged(full_names))
    # mutation: spaCy's word alone (the rule before) takes the firms for persons
    monkeypatch.setattr(decisions, "ner_person_corroborated", lambda part, t: True)
    assert "PERSON" in entities(ner_tagged(firms))


def test_streets_written_number_first_whatever_their_street_words(monkeypatch) -> None:
    import random

    from governance.scan.recognizers import address

    rng = random.Random(5)
    # the training towns and surnames as street names, house number first (`433 Glitvangur`)
    towns = [v for where, _, values, _ in columns_of("LOCATION") for v in values]
    streets = [f"{rng.randint(1, 1500)} {town}" for town in towns]
    assert decided("c07", "VARCHAR", streets) == {"STREET_ADDRESS"}
    quantities = [f"{rng.randint(1, 500)} {rng.choice(('Stück', 'Packungen', 'Flaschen', 'Rollen'))}" for _ in range(80)]
    postcodes = [f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRSTVWX')}" for _ in range(80)]
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", quantities)
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", postcodes)
    for where, sqltype, values, _ in columns_of(hard=True):
        assert "STREET_ADDRESS" not in decided("c07", sqltype, values), where
    # mutation: without the variety test a number and a unit is a street; with any capital, a postcode
    monkeypatch.setattr(address.NumberFirstStreetRecognizer, "min_variety", 0.0)
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", quantities)
    monkeypatch.setattr(address, "_proper_name", lambda word: word[:1].isupper())
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", postcodes)
