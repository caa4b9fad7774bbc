"""The scan's decisions, one small function each. Each takes the evidence gathered for one column (or
one JSON path), `ColumnEvidence` from the recognizers, and the `Thresholds`; none sees a value except
through shares and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.scan.recognizers import ColumnEvidence, Hit
from governance.scan.recognizers.dates import parse_date
from governance.scan.recognizers.national_ids import (
    EUROPEAN_ID_RECOGNIZERS,
    GENERIC_ID_ENTITIES,
    OTHER_COUNTRY_ID_RECOGNIZERS,
)
from governance.scan.results import EntityFinding
from governance.scan.thresholds import Thresholds

# entities a few mentions in prose are enough for
FREE_TEXT_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "CRYPTO", "MEDICATION",
                      "MEDICAL_CONDITION")
# entities confirmed by a checksum whose random look-alikes pass it now and then: need most values
CHECKSUM_ENTITIES = (
    "US_SSN", "DE_TAX_ID", "FR_NIR", "IT_FISCAL_CODE", "ES_NIF", "NL_BSN", "PL_PESEL", "UK_NINO", "SWIFT_CODE",
    *(r.entity for r in EUROPEAN_ID_RECOGNIZERS),
    *(r.entity for r in OTHER_COUNTRY_ID_RECOGNIZERS if r.entity not in ("AZ_FIN",)),
    *GENERIC_ID_ENTITIES,
)
# identifiers without a check digit: their shape counts only under a column name that names them, and only
# when nearly every value has it (`named_shape_coverage`); the name alone never claims them
NAMED_SHAPE_ENTITIES = ("AZ_FIN",)
# entities whose values a column name alone may claim in a numeric column
NUMERIC_NAME_ENTITIES = ("PHONE_NUMBER", "CREDIT_CARD", "POSTAL_CODE", "IBAN_CODE", *CHECKSUM_ENTITIES)


@dataclass
class Evidence:
    """What was found in one column (or one leaf path of a JSON column). Holds its sampled values only
    while it is judged; the values are never part of a result."""

    name: str
    values: list[str] = field(repr=False)
    kind: str
    note: str = ""
    signals: set[str] = field(default_factory=set)  # entities the column name names
    free_text: bool = False
    hits: dict[int, list[Hit]] = field(default_factory=dict, repr=False)  # value index -> hits
    checked: dict[str, int] = field(default_factory=dict)  # entity -> values examined for it
    column: dict[str, ColumnEvidence] = field(default_factory=dict)  # column recognizers' verdicts
    numeric: dict[str, float] = field(default_factory=dict)  # entity -> share of integer values that are it
    legal_share: float = 0.0  # values carrying a company's legal form
    company_id_share: float = 0.0  # values one company tax/registry number module validates
    known_name_share: float | None = None  # values made of known names (None: not a column of words)
    names_only_share: float = 0.0  # values made of known names that are no known place
    places_only_share: float = 0.0  # values that are known places and not made of known names
    ner_values: list[str] = field(default_factory=list, repr=False)
    ner_person_values: set[str] = field(default_factory=set, repr=False)  # values NER tagged PERSON
    person_like_share: float | None = None  # values made of known names or tagged PERSON (after NER)
    ner_hits: dict[str, int] = field(default_factory=dict)
    ner_total: int = 0
    ner_candidates: int = 0
    english_prose: bool = False  # prose the NER model's language (English) reads
    region: str | None = None  # the table's country, when its data says it

    def shares_of(self, entity: str) -> float:
        evidence = self.column.get(entity)
        return evidence.share if evidence else 0.0


def finding(entity: str, score: float, coverage: float, named: bool, t: Thresholds) -> EntityFinding:
    return EntityFinding(
        entity, min(1.0, score + (t.named_bonus if named else 0.0)), coverage, "both" if named else "values"
    )


def keep_clear_hits(part: Evidence, entity: str, hits: list[Hit], regional_plan: bool = False) -> list[Hit]:
    """A hit that is not clear on its own (a bare run of digits as a phone) counts only when the column
    name names the entity, or, for a number of the table's region's plan, when the column is made of
    them (`regional_plan`)."""
    return [h for h in hits if h.clear or entity in part.signals or (h.regional and regional_plan)]


def regional_plans(part: Evidence, t: Thresholds) -> set[str]:
    """The entities whose values are, in most examined values of the column (`regional_plan_coverage`),
    numbers valid in the table's region (clear ones included): there a short national number counts."""
    out = set()
    counts: dict[str, int] = {}
    for hits in part.hits.values():
        for entity in {h.entity for h in hits if h.whole and (h.clear or h.regional)}:
            counts[entity] = counts.get(entity, 0) + 1
    for entity, fitting in counts.items():
        examined = part.checked.get(entity, len(part.values))
        if examined and not part.free_text and fitting >= t.regional_plan_coverage * examined:
            out.add(entity)
    return out


def per_value_evidence(part: Evidence, t: Thresholds | None = None) -> dict[str, list[tuple[float, bool]]]:
    """entity -> one (best score, fills the value) per value with a hit."""
    out: dict[str, list[tuple[float, bool]]] = {}
    plans = regional_plans(part, t or Thresholds())
    for hits in part.hits.values():
        best: dict[str, tuple[float, bool]] = {}
        for hit in hits:
            if not keep_clear_hits(part, hit.entity, [hit], hit.entity in plans):
                continue
            if hit.score > best.get(hit.entity, (0.0, False))[0]:
                best[hit.entity] = (hit.score, hit.whole)
        for entity, evidence in best.items():
            out.setdefault(entity, []).append(evidence)
    return out


def accept_pattern_entity(
    entity: str, evidence: list[tuple[float, bool]], examined: int, named: bool, free_text: bool, t: Thresholds
) -> bool:
    """Structured: most values are the entity (a checksum entity: nearly all, unless named); prose: a
    few clear mentions."""
    if not examined or not evidence:
        return False
    score = sum(s for s, _ in evidence) / len(evidence)
    coverage = len(evidence) / examined
    whole_share = sum(1 for _, whole in evidence if whole) / examined
    if entity in NAMED_SHAPE_ENTITIES:
        return named and whole_share >= t.named_shape_coverage
    if entity in CHECKSUM_ENTITIES:
        needed = t.named_checksum_coverage if named else t.checksum_coverage
        return whole_share >= needed
    if free_text and entity in FREE_TEXT_ENTITIES and len(evidence) >= t.free_text_hits and score >= t.accept_score:
        return True
    return (whole_share >= t.structured_coverage and score >= t.accept_score) or (named and coverage > 0)


def pattern_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    out = {}
    for entity, evidence in per_value_evidence(part, t).items():
        examined = part.checked.get(entity, len(part.values))
        named = entity in part.signals
        if accept_pattern_entity(entity, evidence, examined, named, part.free_text, t):
            score = sum(s for s, _ in evidence) / len(evidence)
            out[entity] = finding(entity, score, len(evidence) / examined, named, t)
    return out


def numeric_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """Phones, cards and identifiers stored as numbers: judged by their values, not by the name only."""
    if not part.numeric:
        return {}
    entity, share = max(part.numeric.items(), key=lambda item: (item[1], item[0]))
    if share < t.numeric_coverage:
        return {}
    return {entity: finding(entity, 0.8, share, entity in part.signals, t)}


def list_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """Persons and places from the names and places lists, judged on the column's values together. A
    column mostly of place names is a column of places, even if some are also surnames; a column whose
    name says it holds something else (a town named after a family) is not taken for persons."""
    out: dict[str, EntityFinding] = {}
    place = part.shares_of("LOCATION")
    person = part.shares_of("PERSON")
    named_place, named_person = "LOCATION" in part.signals, "PERSON" in part.signals
    outweigh = places_outweigh_names(place, person, part.places_only_share, part.names_only_share)
    if (place >= t.place_share and not named_person and outweigh) or (
        named_place and place >= t.named_place_share
    ):
        out["LOCATION"] = finding("LOCATION", 0.8, place, named_place, t)
    elif part.legal_share < 0.1 and (
        (person >= t.name_share and not outweigh and not (part.signals - {"PERSON"}))
        or (named_person and person >= t.named_name_share)
    ):
        out["PERSON"] = finding("PERSON", 0.8, person, named_person, t)
    return out


def places_outweigh_names(place: float, person: float, places_only: float = 0.0, names_only: float = 0.0) -> bool:
    """Many towns bear family names (a gazetteer of every town of 500 people holds half the common
    English surnames) and many family and given names are towns: when a column fits both lists, the
    values only one of them knows say what it is (towns that are nobody's name, `Guadalajara`; names that
    are no town, `Kowalczyk`). Without such values, the list the column fits better. Both are personal at
    the same level; a tie reads as persons."""
    if places_only or names_only:
        return places_only > names_only
    return place > person


def postcode_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    share = part.shares_of("POSTAL_CODE")
    if share >= t.postcode_share:
        named = "POSTAL_CODE" in part.signals
        return {"POSTAL_CODE": finding("POSTAL_CODE", 0.8, share, named, t)}
    return {}


def national_id_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """A person's identifier without a recognizer of its own: one python-stdnum module for persons
    validates nearly all values (`PersonalIdentifierRecognizer`)."""
    evidence = part.column.get("NATIONAL_ID")
    if evidence is None or evidence.share < t.personal_id_coverage:
        return {}
    return {evidence.entity: finding(evidence.entity, evidence.score, evidence.share, evidence.entity in part.signals, t)}


# numbers with a check of their own that a generic identifier's module may share (Luhn's, mod 97)
CHECKED_NUMBERS = ("CREDIT_CARD", "IBAN_CODE", "BANK_ACCOUNT")


def drop_generic_identifier(found: dict[str, EntityFinding]) -> dict[str, EntityFinding]:
    """A column its own recognizer names (a checksum identifier of a country, a card, a bank account) is
    not reported again as a generic identifier whose module happens to share its check."""
    dedicated = [e for e in found if (e in CHECKSUM_ENTITIES and e not in GENERIC_ID_ENTITIES and e != "SWIFT_CODE")
                 or e in CHECKED_NUMBERS]
    if not dedicated:
        return found
    return {e: f for e, f in found.items() if e not in GENERIC_ID_ENTITIES}


def street_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """Streets judged on the column's values together (house number first, any street words)."""
    share = part.shares_of("STREET_ADDRESS")
    if share >= t.street_share:
        return {"STREET_ADDRESS": finding("STREET_ADDRESS", 0.7, share, "STREET_ADDRESS" in part.signals, t)}
    return {}


def dob_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    share = part.shares_of("DATE_OF_BIRTH")
    if not share:
        return {}
    named = "DATE_OF_BIRTH" in part.signals
    return {
        "DATE_OF_BIRTH": EntityFinding(
            "DATE_OF_BIRTH", t.dob_named_score if named else t.dob_score, share, "both" if named else "values"
        )
    }


def ner_findings(part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """spaCy's PERSON/LOCATION: most word values tagged (prose: fewer), or any when the name agrees."""
    out: dict[str, EntityFinding] = {}
    n = len(part.values)
    if not part.ner_total or not n:
        return out
    for entity, hits in sorted(part.ner_hits.items()):
        share = hits / part.ner_total
        coverage = share * part.ner_candidates / n
        named = entity in part.signals
        threshold = t.ner_free_text_coverage if part.free_text else t.ner_coverage
        if not ((share >= threshold and coverage >= threshold / 2) or (named and hits)):
            continue
        other = "PERSON" if entity == "LOCATION" else "LOCATION"
        if other in part.signals or (entity == "PERSON" and part.legal_share >= 0.1):
            continue
        if entity == "PERSON" and not named and not ner_person_corroborated(part, t):
            continue
        out[entity] = EntityFinding(entity, 1.0 if named else t.ner_found_score, coverage, "both" if named else "values")
    return out


def ner_person_corroborated(part: Evidence, t: Thresholds) -> bool:
    """spaCy's English model tags capitalised words it does not know as persons: company names without a
    legal form (`Levira`, `Kentaur`, `Viru Õlu`) as much as foreign names. In a structured column of words
    its PERSON counts only when some of the values are made of known names (given, family, patronymics);
    a column name that says person is evidence enough on its own (checked by the caller)."""
    if part.free_text or part.known_name_share is None:
        return True
    if part.known_name_share < t.ner_person_known_share:
        return False
    return not closed_list_of_mixed_things(part, t)


def closed_list_of_mixed_things(part: Evidence, t: Thresholds) -> bool:
    """A column of few distinct values (fewer than `small_column_values`: the sample holds the whole
    list: brands, teams, product lines, a sales team) is judged as a set. It is a column of persons when
    almost every value is person-like (made of known names, or tagged PERSON by the NER model: a sales
    team of twenty stays persons); a list in which a part of the values are no names at all (a brand
    list that mixes eponymous brands and designers' full names with invented brand words) is not, however
    many of its values the English model takes for persons."""
    if len(part.values) >= t.small_column_values or part.person_like_share is None:
        return False
    return part.person_like_share < t.small_column_person_share


def name_compatible(entity: str, part: Evidence, t: Thresholds) -> bool:
    """May the column name alone claim the entity, given what the values look like?"""
    kind = part.kind
    if kind == "boolean":
        return False
    if kind == "temporal":
        return entity == "DATE_OF_BIRTH"
    if entity == "DATE_OF_BIRTH":
        return not part.values or any(parse_date(v) for v in part.values[:20])
    if kind == "numeric":
        return entity in NUMERIC_NAME_ENTITIES
    if not part.values:
        return True
    if entity == "POSTAL_CODE":
        from governance.scan.recognizers.address import PostalCodeRecognizer

        return PostalCodeRecognizer.short_codes(part.values) >= t.named_postcode_shape
    if entity in CHECKSUM_ENTITIES or entity in NAMED_SHAPE_ENTITIES:
        return False  # an identifier is confirmed by its checksum (or its shape under its name), or not at all
    if part.free_text and entity not in ("PERSON", "STREET_ADDRESS", "LOCATION", *FREE_TEXT_ENTITIES):
        return False
    from governance.scan.classifier import opaque

    return not all(opaque(v) for v in part.values[:50])


# entities a name may claim only when the values did not show a kindred one (a column named for a bank
# account whose values are IBANs is IBANs)
NAME_ONLY_UNLESS = {"BANK_ACCOUNT": ("IBAN_CODE",), "IBAN_CODE": ("BANK_ACCOUNT",)}


def name_only_findings(part: Evidence, decided: dict[str, EntityFinding], t: Thresholds) -> dict[str, EntityFinding]:
    return {
        entity: EntityFinding(entity, t.name_only_score, 0.0, "name")
        for entity in sorted(part.signals - set(decided))
        if name_compatible(entity, part, t) and not set(NAME_ONLY_UNLESS.get(entity, ())) & set(decided)
    }


def keep_dominant(found: dict[str, EntityFinding], part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """One structured column is one kind of thing: keep the entities that explain most of it."""
    if part.free_text or len(found) < 2:
        return found
    top = max(f.coverage for f in found.values())
    return {k: f for k, f in found.items() if f.decided_by != "values" or f.coverage >= t.keep_share_of_top * top}


def ner_corroborated(entity: str, part: Evidence, found: dict[str, EntityFinding], tagged: set[str]) -> bool:
    """In prose, spaCy's tags alone are weak: a town in a review or a product description ("delivered
    to Košice", "made in Luckau") is not where a person lives, and in a language the English model
    does not speak it tags capitalised words (brands, product words) as places and persons at random.
    So in prose a place counts next to personal evidence of the same column (a contact detail, an
    address, an identifier found by the values, or persons), and a person in a language other than
    English needs such evidence too; a column name that names the entity is enough on its own."""
    if not part.free_text or entity in part.signals:
        return True
    personal = bool(set(found) - {"LOCATION"})
    if entity == "LOCATION":
        return personal or ("PERSON" in tagged and part.english_prose)
    return part.english_prose or personal


# identifiers that other countries issue in the same form and check (the Slovak birth number is the
# Czech one, the Lithuanian personal code the Estonian one); else the entity's prefix is its country
IDENTIFIER_COUNTRIES = {"CZ_BIRTH_NUMBER": ("CZ", "SK"), "UK_NINO": ("GB",)}


def identifier_countries(entity: str) -> tuple[str, ...]:
    return IDENTIFIER_COUNTRIES.get(entity, (entity.split("_", 1)[0],))


def prefer_regional_identifier(found: dict[str, EntityFinding], part: Evidence) -> dict[str, EntityFinding]:
    """Some national identifiers share a form and pass each other's check now and then (Denmark's CPR
    and Iceland's kennitala are both DDMMYY-NNNN): when a column validates as several, the table's own
    country says which it is. Without a known region, or when none is the region's, all are kept."""
    ids = [e for e in found if e in CHECKSUM_ENTITIES and e != "SWIFT_CODE"]
    if len(ids) < 2 or part.region is None:
        return found
    regional = {e for e in ids if part.region in identifier_countries(e)}
    if not regional:
        return found
    return {e: f for e, f in found.items() if e not in ids or e in regional}


# what a company's tax or registry number can look like (a phone, a postcode); a national identifier's own
# checksum says more than the company module's and is kept
# (a generic identifier, whose module is one of many, too: a column of company numbers is not personal)
COMPANY_ID_LOOKALIKES = ("PHONE_NUMBER", "POSTAL_CODE", "PERSON", "LOCATION", *GENERIC_ID_ENTITIES)


def drop_company_identifiers(found: dict[str, EntityFinding], part: Evidence, t: Thresholds) -> dict[str, EntityFinding]:
    """A column in which nearly every value validates as one country's company tax or registry number
    (`company_id_share`) holds companies' identifiers: its phone-shaped digits are not phones."""
    if part.company_id_share < t.company_id_coverage:
        return found
    return {e: f for e, f in found.items() if e not in COMPANY_ID_LOOKALIKES}


def decide_part(part: Evidence, t: Thresholds) -> list[EntityFinding]:
    found: dict[str, EntityFinding] = {}
    for step in (pattern_findings, numeric_findings, list_findings, postcode_findings, street_findings, dob_findings,
                 national_id_findings):
        for entity, result in step(part, t).items():
            found.setdefault(entity, result)
    tagged = ner_findings(part, t)
    for entity, result in tagged.items():
        # an address names streets after people and places: spaCy's tags on it are not the column's
        if entity in found or ({"PERSON", "LOCATION", "STREET_ADDRESS"} & set(found)):
            continue
        if ner_corroborated(entity, part, found, set(tagged)):
            found[entity] = result
    found.update(name_only_findings(part, found, t))
    found = drop_company_identifiers(drop_generic_identifier(found), part, t)
    return list(keep_dominant(prefer_regional_identifier(found, part), part, t).values())
