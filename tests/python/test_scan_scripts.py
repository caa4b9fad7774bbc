"""The fifth round's rules of the PII scan: names and places in Cyrillic and Greek script, Cyrillic and
Greek streets and address orders, the Turkish, Ukrainian and Russian personal identifiers, companies'
tax numbers that look like phones, company names without a legal form, bare Norwegian phones and phones
stored as numbers. Fed from Faker (the training generator) in locales whose values no held-out part
uses here (ru_RU, uk_UA, el_GR, tr_TR), or from values made by each rule's own definition (numbers with
their check digits). Each test removes its rule once (a mutation) and shows the test would fail."""

from __future__ import annotations

import random

import pytest

from governance.scan import decisions
from governance.scan.recognizers import address, contact, national_ids, person, script
from tests.python.test_scan_recognizers import decided

N = 60


def faker_values(locale: str, make, count: int = N, seed: int = 5) -> list[str]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    return list(dict.fromkeys(str(make(fake)) for _ in range(count * 3)))[:count]


# --- names and places in other scripts ---------------------------------------------------------------


def test_cyrillic_and_greek_words_have_latin_spellings() -> None:
    assert "shevchenko" in script.latin_forms("шевченко")
    assert "papadopoulos" in script.latin_forms("παπαδόπουλος")
    assert "kyiv" in script.latin_forms("київ")
    assert script.latin_forms("smith") == ()  # Latin words are looked up as they are


@pytest.mark.parametrize("locale", ["ru_RU", "uk_UA", "el_GR"])
def test_surnames_in_cyrillic_and_greek_are_persons(locale: str, monkeypatch) -> None:
    surnames = faker_values(locale, lambda f: f.last_name())
    full_names = faker_values(locale, lambda f: f"{f.first_name()} {f.last_name()}")
    assert "PERSON" in decided("c07", "VARCHAR", surnames)
    assert "PERSON" in decided("c08", "VARCHAR", full_names)
    if locale == "ru_RU":  # the names list holds the common Russian surnames in Cyrillic of its own
        return
    # mutation: without the Latin spellings and the surname endings too few are known names
    monkeypatch.setattr(person, "latin_forms", lambda word: ())
    monkeypatch.setattr(person, "surname_shaped", lambda word: False)
    assert "PERSON" not in decided("c07", "VARCHAR", surnames)


def test_places_and_names_known_only_in_latin_script() -> None:
    # a gazetteer that has the Latin spelling only still knows the Cyrillic and Greek ones
    assert script.known_in("київ", frozenset({"kyiv"}))
    assert script.known_in("θεσσαλονίκη", frozenset({"thessaloniki"}))
    assert not script.known_in("київ", frozenset({"kiev"}) - {"kiev"})
    # family names by their ending, in either script (the list lacks the rarer ones)
    assert person.surname_shaped("медведенко") and person.surname_shaped("τζανουδάκης")
    assert person.surname_shaped("tzanoudakis") and not person.surname_shaped("холодильник")


# --- streets and addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["ru_RU", "uk_UA"])
def test_cyrillic_streets_have_street_words(locale: str, monkeypatch) -> None:
    streets = faker_values(locale, lambda f: f.street_address())
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", streets)
    # mutation: the street words of the Latin-script languages only
    latin = frozenset(w for w in address.STREET_WORDS if not script.non_latin(w))
    monkeypatch.setattr(address, "STREET_WORDS", latin)
    monkeypatch.setattr(address, "DOTTED_WORDS", frozenset(w for w in address.DOTTED_WORDS if not script.non_latin(w)))
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", streets)


def test_addresses_in_the_russian_and_ukrainian_order(monkeypatch) -> None:
    rng = random.Random(3)
    towns = ["Москва", "Казань", "Самара", "Омск", "Пермь", "Київ", "Львів", "Одеса"]
    names = ["Садовая", "Лесная", "Центральная", "Шевченка", "Франка", "Мира"]  # no street word
    russian = [f"{rng.randint(100000, 999999)}, г. {rng.choice(towns)}, {rng.choice(names)} {rng.randint(1, 90)}"
               for _ in range(30)]
    ukrainian = [f"{rng.choice(names)} {rng.randint(1, 90)}, {rng.randint(1, 200)}, м. {rng.choice(towns)}, "
                 f"{rng.randint(10000, 99999)}" for _ in range(30)]
    assert all(address.postcode_and_town_segments(v) for v in russian + ukrainian)
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", russian)
    # a review with a number and a town is not an address: no segment is only a postcode
    assert not address.postcode_and_town_segments("Доставка в Москва, 3 дня, рекомендую")
    monkeypatch.setattr(address, "postcode_and_town_segments", lambda value: False)
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", russian)


def test_greek_streets_written_name_then_number(monkeypatch) -> None:
    streets = faker_values("el_GR", lambda f: f"{f.street_name()} {f.random_int(1, 999)}")
    assert "STREET_ADDRESS" in decided("c07", "VARCHAR", streets)
    # a product line and its few model numbers is not a street
    products = [f"{b} {m}" for b in ("Galaxy", "Vivo", "Iphone", "Pixel") for m in (10, 11, 12, 13, 14)] * 3
    assert "STREET_ADDRESS" not in decided("c08", "VARCHAR", products)
    monkeypatch.setattr(address, "name_then_number_street", lambda value: None)
    assert "STREET_ADDRESS" not in decided("c07", "VARCHAR", streets)


def test_six_digit_postcodes_in_a_russian_table(monkeypatch) -> None:
    rng = random.Random(4)
    codes = [f"{rng.randint(100000, 699999)}" for _ in range(40)]
    assert "POSTAL_CODE" in decided("c07", "VARCHAR", codes, "RU")
    assert "POSTAL_CODE" not in decided("c07", "VARCHAR", codes, None)
    monkeypatch.setitem(address._REGION_POSTCODE, "RU", address.re.compile(r"^$"))
    assert "POSTAL_CODE" not in decided("c07", "VARCHAR", codes, "RU")


# --- identifiers -------------------------------------------------------------------------------------


def _with_check(body: str, valid, digits: int = 1) -> str | None:
    return next((f"{body}{c:0{digits}d}" for c in range(10**digits) if valid(f"{body}{c:0{digits}d}")), None)


def _numbers(valid, width: int, first: str, digits: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < N:
        body = rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(width - 1 - digits))
        value = _with_check(body, valid, digits)
        if value:
            out.append(value)
    return out


def test_turkish_ukrainian_and_russian_personal_numbers(monkeypatch) -> None:
    from stdnum.ru import inn
    from stdnum.tr import tckimlik
    from stdnum.ua import rntrc

    turkish = _numbers(tckimlik.is_valid, 11, "123456789", 2)
    ukrainian = _numbers(rntrc.is_valid, 10, "123", 1)
    russian = _numbers(inn.is_valid, 12, "567", 2)
    company_inn = _numbers(inn.is_valid, 10, "567", 1)  # a company's INN: ten digits, not personal
    assert "TR_IDENTITY_NUMBER" in decided("c07", "VARCHAR", turkish)
    assert "UA_RNOKPP" in decided("c07", "VARCHAR", ukrainian)
    assert "RU_INN" in decided("c07", "VARCHAR", russian)
    assert "RU_INN" not in decided("c07", "VARCHAR", company_inn)
    broken = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in turkish]
    assert "TR_IDENTITY_NUMBER" not in decided("c07", "VARCHAR", broken)
    # mutation: the twelve-digit test off, a company's INN would count as a person's
    monkeypatch.setattr(national_ids.RuPersonalInnRecognizer, "validate",
                        lambda self, text: national_ids._stdnum_valid("ru.inn", text))
    monkeypatch.setattr(national_ids.RuPersonalInnRecognizer, "patterns",
                        (national_ids.Pattern("inn", r"\b\d{10,12}\b", 0.2),))
    monkeypatch.setattr(national_ids.RuPersonalInnRecognizer, "min_digits", 10)
    assert "RU_INN" in decided("c07", "VARCHAR", company_inn)


def test_russian_snils_by_its_check(monkeypatch) -> None:
    rng = random.Random(6)
    numbers = []
    while len(numbers) < N:
        body = f"{rng.randint(2000000, 999999999):09d}"
        check = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True)) % 101
        value = f"{body}{0 if check == 100 else check:02d}"
        numbers.append(f"{value[:3]}-{value[3:6]}-{value[6:9]} {value[9:]}")
    assert all(national_ids.ru_snils_valid(v) for v in numbers)
    assert "RU_SNILS" in decided("c07", "VARCHAR", numbers)
    broken = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in numbers]
    assert "RU_SNILS" not in decided("c07", "VARCHAR", broken)
    monkeypatch.setattr(national_ids, "ru_snils_valid", lambda text: True)
    assert "RU_SNILS" in decided("c07", "VARCHAR", broken)


def test_a_column_of_company_tax_numbers_is_not_phones(monkeypatch) -> None:
    from stdnum.gr import vat

    afm = _numbers(vat.is_valid, 9, "0", 1)  # Greek companies' AFM: a leading 0, like a trunk prefix
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", afm, "GR")
    assert decided("c07", "VARCHAR", afm) == set()
    # real phones of a region are not company numbers (one module validates about one in ten)
    rng = random.Random(8)
    phones = [f"0{rng.choice('67')}{rng.randint(10000000, 99999999)}" for _ in range(N)]
    assert "PHONE_NUMBER" in decided("c08", "VARCHAR", phones, "FR")
    # mutation: without the company-number test the AFM column is phones (the trunk-prefix rule)
    monkeypatch.setattr(decisions, "drop_company_identifiers", lambda found, part, t: found)
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", afm, "GR")


def test_company_names_with_a_trade_word_are_not_persons(monkeypatch) -> None:
    trades = ("Sigorta", "Kimya Sanayi", "Tekstil", "Gıda", "Enerji", "Lojistik", "İnşaat", "Ticaret")
    companies = faker_values("tr_TR", lambda f: f"{f.last_name()} {f.random_element(trades)}")
    assert person.name_shares(companies).legal >= 0.9
    assert "PERSON" not in decided("c07", "VARCHAR", companies)
    monkeypatch.setattr(person, "TRADE_WORDS", frozenset())
    assert "PERSON" in decided("c07", "VARCHAR", companies)


# --- phones ------------------------------------------------------------------------------------------


def test_bare_norwegian_numbers_in_a_norwegian_table(monkeypatch) -> None:
    rng = random.Random(2)
    phones = [f"{rng.choice('49')}{rng.randint(1000000, 9999999)}" for _ in range(N)]
    assert "PHONE_NUMBER" in decided("c07", "VARCHAR", phones, "NO")
    # a German table's bare eight-digit codes are not (the German plan has many lengths and a trunk 0)
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", phones, "DE")
    monkeypatch.setattr(contact, "bare_number_plan", lambda region: False)
    assert "PHONE_NUMBER" not in decided("c07", "VARCHAR", phones, "NO")


def test_phones_stored_as_numbers_with_some_outside_the_plan(monkeypatch) -> None:
    rng = random.Random(1)
    # 70% in Norway's mobile ranges, 30% in ranges outside its plan (typed by people, or made up)
    ranges = ("40", "41", "45", "46", "47", "48", "90", "91", "92", "93", "94", "95", "97", "98", "99")
    phones = [f"47{rng.choice(ranges)}{rng.randint(100000, 999999)}" if rng.random() < 0.7 else
              f"4742{rng.randint(100000, 999999)}" for _ in range(N)]
    assert "PHONE_NUMBER" in decided("c07", "BIGINT", phones)
    ids = [str(73_000_000_000 + i * 977) for i in range(N)]  # a sequence of transaction ids
    assert "PHONE_NUMBER" not in decided("c08", "BIGINT", ids)
    from governance.scan import classifier

    monkeypatch.setattr(classifier, "possible_international_code", lambda digits: None)
    assert "PHONE_NUMBER" not in decided("c07", "BIGINT", phones)
