"""The PII scan's recognizers, one small class per entity, in Presidio's style (patterns, a cheap
pre-test, context words from the column name, validation by checksum).

`VALUE_RECOGNIZERS` find an entity in one value; `COLUMN_RECOGNIZERS` judge a column's values together
(names, places, postcodes, dates of birth). Adding an entity is adding a class here and its level in
``vars.governance.entity_levels``.
"""

from __future__ import annotations

from governance.scan.recognizers.address import (
    LocationRecognizer,
    NumberFirstStreetRecognizer,
    PostalCodeRecognizer,
    StreetAddressRecognizer,
)
from governance.scan.recognizers.base import (
    ColumnEvidence,
    ColumnRecognizer,
    Hit,
    Pattern,
    Recognizer,
    ValueRecognizer,
    digit_count,
)
from governance.scan.recognizers.contact import EmailRecognizer, PhoneRecognizer
from governance.scan.recognizers.dates import DateOfBirthRecognizer, UsDriverLicenseRecognizer, UsPassportRecognizer
from governance.scan.recognizers.health import MedicalConditionRecognizer, MedicationRecognizer
from governance.scan.recognizers.national_ids import (
    EUROPEAN_ID_RECOGNIZERS,
    OTHER_COUNTRY_ID_RECOGNIZERS,
    DeTaxIdRecognizer,
    EsNifRecognizer,
    FrNirRecognizer,
    ItFiscalCodeRecognizer,
    NlBsnRecognizer,
    PersonalIdentifierRecognizer,
    PlPeselRecognizer,
    UkNinoRecognizer,
    UsSsnRecognizer,
)
from governance.scan.recognizers.network import CryptoRecognizer, IpAddressRecognizer, UserAgentRecognizer
from governance.scan.recognizers.payment import (
    BankAccountRecognizer,
    CreditCardRecognizer,
    IbanRecognizer,
    SwiftCodeRecognizer,
)
from governance.scan.recognizers.person import PersonRecognizer

VALUE_RECOGNIZERS: tuple[ValueRecognizer, ...] = (
    EmailRecognizer(),
    PhoneRecognizer(),
    CreditCardRecognizer(),
    IbanRecognizer(),
    SwiftCodeRecognizer(),
    IpAddressRecognizer(),
    CryptoRecognizer(),
    StreetAddressRecognizer(),
    UserAgentRecognizer(),
    UsSsnRecognizer(),
    DeTaxIdRecognizer(),
    FrNirRecognizer(),
    ItFiscalCodeRecognizer(),
    EsNifRecognizer(),
    NlBsnRecognizer(),
    PlPeselRecognizer(),
    UkNinoRecognizer(),
    *EUROPEAN_ID_RECOGNIZERS,
    *OTHER_COUNTRY_ID_RECOGNIZERS,
    BankAccountRecognizer(),
    MedicationRecognizer(),
    MedicalConditionRecognizer(),
)
COLUMN_RECOGNIZERS: tuple[ColumnRecognizer, ...] = (
    PersonRecognizer(),
    LocationRecognizer(),
    PostalCodeRecognizer(),
    NumberFirstStreetRecognizer(),
    DateOfBirthRecognizer(),
    UsPassportRecognizer(),
    UsDriverLicenseRecognizer(),
    PersonalIdentifierRecognizer(),
)
ALL_RECOGNIZERS: tuple[Recognizer, ...] = (*VALUE_RECOGNIZERS, *COLUMN_RECOGNIZERS)
NER_ENTITIES = ("PERSON", "LOCATION")

__all__ = [
    "ALL_RECOGNIZERS",
    "COLUMN_RECOGNIZERS",
    "NER_ENTITIES",
    "VALUE_RECOGNIZERS",
    "ColumnEvidence",
    "ColumnRecognizer",
    "Hit",
    "Pattern",
    "Recognizer",
    "ValueRecognizer",
    "digit_count",
]
