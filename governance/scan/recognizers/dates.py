"""Dates of birth: a column of dates (no time) spread over decades, none recent."""

from __future__ import annotations

import datetime as dt
import re

from governance.scan.recognizers.base import ColumnEvidence, ColumnRecognizer

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y%m%d", "%Y.%m.%d")
# dotted dates as Central European languages write them: a space after each dot (Czech and Slovak
# `5. 3. 1978`), a dot after the last part (Croatian `05.03.1978.`), the year first (Hungarian
# `1978. 03. 05.`)
_DOTTED_DATE = re.compile(r"^(\d{1,4})\.\s?(\d{1,2})\.\s?(\d{1,4})\.?(?=\s|$)")
_MIDNIGHT = re.compile(r"0{1,2}:00(:00(\.0+)?)?([+-]\d\d(:?\d\d)?|Z)?")


def parse_date(value: str) -> tuple[dt.date, bool] | None:
    """(date, has_time) when the value is a date or timestamp, else None."""
    v = value.strip()
    if len(v) < 8 or len(v) > 40:
        return None
    dotted = _DOTTED_DATE.match(v)
    if dotted:
        v = f"{dotted[1]}.{dotted[2]}.{dotted[3]}{v[dotted.end():]}"
    head, _, rest = v.replace("T", " ").partition(" ")
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        return day, bool(rest) and not _MIDNIGHT.fullmatch(rest.strip())
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


class DateOfBirthRecognizer(ColumnRecognizer):
    entity = "DATE_OF_BIRTH"
    names = (
        r"dob|birth|birthday|birthdate|birth_?date|date_of_birth|born(_on|_at)?|geburtsdatum|geburtstag|"
        r"date_?(de_?)?naissance|data_?(di_?)?nascita|fecha_?(de_?)?nacimiento|geboortedatum|data_?urodzenia"
    )

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        share = birth_date_like(values)
        return ColumnEvidence(self.entity, share, 0.7) if share else None


class NameOnlyRecognizer(ColumnRecognizer):
    """Entities the values cannot reveal here (passport and driving licence numbers): the column name."""

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        return None


class UsPassportRecognizer(NameOnlyRecognizer):
    entity = "US_PASSPORT"
    names = r"passport|passport_?(number|no)"


class UsDriverLicenseRecognizer(NameOnlyRecognizer):
    entity = "US_DRIVER_LICENSE"
    names = r"(driver_?licen[cs]e|driving_?licen[cs]e)(_?(number|no))?"
