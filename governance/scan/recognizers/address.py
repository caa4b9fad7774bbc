"""Street addresses, postcodes and places (cities, towns) in national formats."""

from __future__ import annotations

import re
from typing import ClassVar

from governance.scan.recognizers.base import ColumnEvidence, ColumnRecognizer, Hit, ValueRecognizer
from governance.scan.recognizers.resources import places
from governance.scan.recognizers.script import known_in

# street-type words in the product's languages, as whole words (either side of the number)...
STREET_WORDS = frozenset(
    (
        # English
        "street", "st", "road", "rd", "avenue", "ave", "av", "lane", "ln", "drive", "dr", "boulevard", "blvd",
        "bd", "way", "court", "ct", "place", "crescent", "close", "terrace", "square", "sq", "parkway", "pkwy",
        "highway", "hwy", "row", "walk", "gardens", "grove", "hill", "circle", "crossing", "estate", "mews",
        "park", "rise", "green", "view", "vale", "passage", "alley",
        # the USPS street suffixes (Publication 28, appendix C1)
        "annex", "arcade", "bayou", "beach", "bend", "bluff", "bluffs", "bottom", "branch", "bridge", "brook",
        "brooks", "burg", "burgs", "bypass", "camp", "canyon", "cape", "causeway", "center", "centers", "cliff",
        "cliffs", "club", "common", "commons", "corner", "corners", "course", "courts", "cove", "coves", "creek",
        "crest", "curve", "dale", "dam", "divide", "drives", "expressway", "extension", "extensions", "falls",
        "ferry", "field", "fields", "flat", "flats", "ford", "fords", "forest", "forge", "forges", "fork", "forks",
        "fort", "freeway", "garden", "gateway", "glen", "glens", "greens", "groves", "harbor", "harbors", "haven",
        "heights", "highway", "hills", "hollow", "inlet", "island", "islands", "isle", "junction", "junctions",
        "key", "keys", "knoll", "knolls", "lake", "lakes", "landing", "lanes", "light", "lights", "loaf", "lock",
        "locks", "lodge", "loop", "mall", "manor", "manors", "meadow", "meadows", "mill", "mills", "mission",
        "motorway", "mount", "mountain", "mountains", "neck", "orchard", "oval", "overpass", "parks", "pass",
        "path", "pike", "pine", "pines", "plain", "plains", "point", "points", "port", "ports", "prairie",
        "radial", "ramp", "ranch", "rapid", "rapids", "rest", "ridge", "ridges", "river", "roads", "route", "run",
        "shoal", "shoals", "shore", "shores", "skyway", "spring", "springs", "spur", "spurs", "squares", "station",
        "stravenue", "stream", "streets", "summit", "throughway", "trace", "track", "trafficway", "trail",
        "trailer", "tunnel", "turnpike", "underpass", "union", "unions", "valley", "valleys", "viaduct", "views",
        "village", "villages", "ville", "vista", "walks", "wall", "ways", "well", "wells",
        # German
        "straße", "strasse", "str", "allee", "ring", "damm", "weg", "gasse", "platz", "chaussee", "ufer",
        "markt", "steig",
        # French
        "rue", "chemin", "allée", "impasse", "quai", "cours", "route", "faubourg", "sentier", "villa", "cité",
        # Italian
        "via", "viale", "piazza", "piazzale", "corso", "vicolo", "largo", "contrada", "strada", "borgo",
        "lungomare", "rotonda", "incrocio", "stretto", "canale", "traversa", "vico", "salita", "frazione",
        # Spanish, Galician, Portuguese
        "calle", "avenida", "plaza", "paseo", "camino", "carrera", "ronda", "travesía", "travesia", "carretera",
        "glorieta", "rúa", "rua", "praza",
        # Dutch
        "straat", "laan", "gracht", "plein", "dijk", "kade", "singel", "pad", "hof", "steeg", "dreef",
        # Polish
        "ulica", "aleja", "osiedle", "plac", "rondo",
        # Portuguese
        "travessa", "praça", "praca", "praceta", "alameda", "estrada", "beco", "calçada", "calcada",
        # Nordic (Danish, Norwegian, Swedish), Finnish
        "vej", "gade", "stræde", "straede", "plads", "torv", "allé", "veien", "vegen", "gata", "gatan", "vägen",
        "vagen", "väg", "gränd", "torget", "katu", "kuja", "polku",
        # Czech, Slovak, Croatian, Slovenian
        "ulice", "náměstí", "namesti", "třída", "trida", "nábřeží", "nabrezi", "námestie", "namestie", "trieda",
        "cesta", "trg", "obala",
        # Hungarian, Romanian
        "utca", "út", "útja", "tér", "körút", "köz", "sétány", "rakpart", "strada", "bulevardul", "calea", "aleea",
        "piața", "piata", "șoseaua", "soseaua", "intrarea", "splaiul",
        # Baltic
        "gatvė", "gatve", "prospektas", "iela", "bulvāris", "bulvaris", "prospekts", "tänav", "tanav", "maantee",
        "puiestee",
        # Maltese, Irish, Greek (Latin script), Turkish
        "triq", "sráid", "sraid", "bóthar", "bothar", "odos", "leoforos", "sokak", "sokağı", "cadde", "caddesi",
        "bulvar", "bulvarı",
        # Azerbaijani, Turkmen, Uzbek (Latin script), Kazakh in Latin script
        "küçəsi", "kuçesi", "kucesi", "küçə", "prospekti", "döngəsi", "dongesi", "dalanı", "dalani", "şossesi",
        "meydanı", "məhəlləsi", "köçesi", "şaýoly", "ko'chasi", "koʻchasi", "ko‘chasi", "kochasi", "mahallasi",
        "köşesi", "koshesi", "dangyly", "dañğılı",
        # Spanish and Portuguese of the Americas
        "privada", "cerrada", "callejón", "callejon", "calzada", "prolongación", "prolongacion", "circuito",
        "andador", "periférico", "periferico", "diagonal", "transversal", "avenue", "boulevard", "bulevar",
        "retorno", "colonia", "fraccionamiento", "rodovia", "quadra", "servidão", "ladeira",
        # Russian, Ukrainian, Belarusian, Bulgarian (Cyrillic)
        "улица", "вулиця", "проспект", "переулок", "провулок", "бульвар", "площадь", "площа", "шоссе", "шосе",
        "набережная", "набережна", "аллея", "алея", "тупик", "проезд", "проїзд", "узвіз", "спуск", "тракт",
        "микрорайон", "мікрорайон", "мкр", "квартал", "вуліца", "праспект", "булевард", "жк",
        # Kazakh, Kyrgyz, Tajik, Mongolian, Serbian and Macedonian (Cyrillic)
        "көшесі", "даңғылы", "орамы", "желекжолы", "тұйығы", "алаңы", "шағынаудан", "көчөсү", "проспектиси",
        "кӯчаи", "хиёбони", "гудамж", "булевар", "трг", "сокак",
        # Greek
        "οδός", "οδος", "λεωφόρος", "λεωφορος", "πλατεία", "πλατεια", "πάροδος", "παροδος",
    )
)
# abbreviations too short to trust without their dot (`ul.`, not the `OS` of a user agent)
DOTTED_WORDS = frozenset(("ul.", "al.", "os.", "pl.", "str.", "u.", "krt.", "nám.", "nam.", "tř.", "g.", "sok.", "cad.",
                          # Cyrillic and Greek abbreviations: street, avenue, lane, boulevard, square, flat, house
                          "ул.", "вул.", "пр.", "просп.", "пр-т", "пер.", "пров.", "бул.", "б-р", "пл.", "наб.",
                          "ш.", "кв.", "д.", "буд.", "οδ.", "λεωφ.", "πλ.",
                          # Azerbaijani, Spanish and Portuguese abbreviations: street, avenue, lane, road
                          "küç.", "kuç.", "küc.", "dön.", "prosp.", "av.", "avda.", "blvd.", "calz.", "priv.",
                          "cda.", "prol.", "carr.", "r.", "rod.", "trav.", "tv.", "pç."))
# ...and as the end of a compound (Hauptstraße, Kerkstraat, Tudderenderweg)
STREET_SUFFIXES = (
    "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "straat", "laan",
    "gracht", "plein", "dijk", "kade", "singel", "steeg", "dreef",
    # Nordic and Finnish streets are compounds too (Østergade, Storgatan, Mannerheimintie)
    "vej", "gade", "stræde", "vænget", "plads", "torv", "gatan", "vägen", "gränd", "stigen", "torget", "leden",
    "backen", "platsen", "gata", "gate", "veien", "vegen", "katu", "tie", "kuja", "polku", "väylä", "kaari",
    "rinne", "raitti", "utca", "iela",
)
_HOUSE_NUMBER = re.compile(r"(?<![\w-])\d{1,5}(?:\s?[a-zA-Z])?(?:\s?[/-]\s?\d{1,4}[a-zA-Z]?)?(?![\w-])")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)


def street_like(value: str) -> bool:
    """A house number and a street-type word (or a compound ending in one), in either order; or a value
    that starts with a street-type word followed by a name (`rue de la Paix`, `boulevard de Antoine`)."""
    raw = [w.lower().rstrip(",") for w in _WORD.findall(value)]
    words = [w.rstrip(".") for w in raw]
    if not words or len(value) > 200:
        return False
    typed = any(w in STREET_WORDS for w in words) or any(w in DOTTED_WORDS for w in raw)
    if not typed:
        # a compound (Hauptstraße, Kerkstraat, Mannerheimintie) is typed by its ending, which ordinary
        # words share (Garantie, Partie, Dichtring): it counts only as a name next to its house number
        return any(
            (w.endswith(STREET_SUFFIXES) or w.rstrip(".").endswith(STREET_SUFFIXES)) and len(w) > 5
            for w in _street_names_next_to_house_numbers(value)
        )
    if _HOUSE_NUMBER.search(value):
        return True
    return (words[0] in STREET_WORDS or raw[0] in DOTTED_WORDS) and len(words) >= 2 and not any(ch.isdigit() for ch in value)


_HOUSE = r"\d{1,5}(?:\s?[a-zA-Z])?(?:\s?[/-]\s?\d{1,4}[a-zA-Z]?)?"
_COMPOUND_THEN_NUMBER = re.compile(rf"([^\W\d_][\w'’.-]*),?\s+{_HOUSE}(?![\w-])", re.UNICODE)
_NUMBER_THEN_COMPOUND = re.compile(rf"(?<![\w-]){_HOUSE},?\s+([^\W\d_][\w'’.-]*)", re.UNICODE)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]{2,})(\.?\s*\d)?", re.UNICODE)


def _street_names_next_to_house_numbers(value: str) -> list[str]:
    """The capitalised words right before or right after a house number (`Kerkstraat 12`,
    `12 Kerkstraat`), lower-cased. A street is a proper name; a number followed by a lower-case word is
    a quantity (`garantie 5 ans`), not a house number, unless another number follows (`Storgatan 3 lgh
    1101`, an apartment)."""
    out = []
    for match in _COMPOUND_THEN_NUMBER.finditer(value):
        after = _NEXT_WORD.match(value, match.end())
        quantity = after is not None and after.group(1).islower() and after.group(2) is None
        if match.group(1)[:1].isupper() and not quantity:
            out.append(match.group(1).lower().rstrip(","))
    for match in _NUMBER_THEN_COMPOUND.finditer(value):
        if match.group(1)[:1].isupper():
            out.append(match.group(1).lower().rstrip(","))
    return out


# the end of a postal address in most European countries: ", [country prefix-]postcode town"
_POSTAL_TAIL = re.compile(
    r",\s*(?:[A-Z]{1,3}-)?(?:\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|[1-9]\d{3} ?[A-Z]{2})\s+([^\d,]{2,60})$"
)


# a segment of a comma-separated address that is only a postcode (an optional country prefix and 4-6
# digits, or the postcode's abbreviation: `C.P. 12345`, `CEP 12345`, `PLZ 12345`) or a town after its
# short abbreviation (`г. Москва`, `м. Київ`, `Town ş.`)
_POSTCODE_SEGMENT = re.compile(r"^(?:[A-Z]{1,3}-?|(?:[A-Za-z]{1,3}\.\s?){1,3}|[A-Z]{2,4}\s)?\d{4,6}$")
_TOWN_ABBREVIATION = re.compile(r"^(?:[^\W\d_]{1,4}\.\s*)?(.+?)(?:\s+[^\W\d_]{1,4}\.)?$", re.UNICODE)


def postcode_and_town_segments(value: str) -> bool:
    """A comma-separated address with a segment that is only a postcode, one that is a known town (perhaps
    after `г.`, `м.`, `с.`), and one more (the street): the Russian order `123456, г. Town, street` and the
    Ukrainian `street, кв. 12, м. Town, 01234`, whatever the street is called."""
    segments = [seg.strip() for seg in value.split(",")]
    if len(segments) < 3 or len(value) > 200:
        return False
    postcode = any(_POSTCODE_SEGMENT.match(seg) for seg in segments)
    if not postcode:
        return False
    known = places()
    for seg in segments:
        match = _TOWN_ABBREVIATION.match(seg)
        if match and not any(ch.isdigit() for ch in seg) and known_in(match.group(1).lower(), known):
            return True
    return False


def ends_with_postcode_and_town(value: str) -> bool:
    """`…, 8000 Aarhus C`, `…, 00-950 Warszawa`, `…, 1010 Wien`: a postcode and a known town end the
    value (whatever the street is called before it)."""
    match = _POSTAL_TAIL.search(value.strip())
    if match is None:
        return False
    town = match.group(1).strip().lower()
    known = places()
    return known_in(town, known) or known_in(town.rsplit(" ", 1)[0], known)  # "aarhus c", "berlin mitte"


class StreetAddressRecognizer(ValueRecognizer):
    entity = "STREET_ADDRESS"
    names = (
        r"street|street_?address|address|address_?line_?\d?|addr|addr_?line_?\d?|street_?line_?\d?|address\d|"
        r"house_?number|postal_?address|correspondence_?address|strasse|straße|anschrift|adresse|"
        r"adresse_?postale|indirizzo|recapito|direccion|domicilio|straat|adres|ulica|adres_?korespondencyjny"
    )
    whole_from_start = True

    def pretest(self, value: str, digits: int) -> bool:
        return len(value) >= 5

    def analyze(self, value: str, region: str | None = None) -> list[Hit]:
        if street_like(value) or (len(value) <= 200 and ends_with_postcode_and_town(value)) \
                or postcode_and_town_segments(value):
            return [Hit(self.entity, 0, len(value), 0.7, True)]
        return []


# a house number, then a proper name of up to four words (a Roman numeral or a letter may follow), and
# perhaps ", postcode town": `433 Glitvangur`, `1088 Steinasel II`, `306 Dalir, 609 Tjarnabyggð`
_NUMBER_FIRST = re.compile(
    r"^(\d{1,5}[a-zA-Z]?),?\s+([^\W\d_][\w'’.-]*)((?:\s+[^\W\d_][\w'’.-]*){0,5})"
    r"(?:,\s*(?:[A-Z]{1,3}-)?\d{3,6}\s+[^\W\d_][^\d,]{1,60})?$",
    re.UNICODE,
)


def _proper_name(word: str) -> bool:
    """Capitalised and then lower case, three letters at least: `Glitvangur`, not the `AB` of a Dutch
    postcode (`1234 AB`) or a unit (`12 kg`)."""
    return len(word) >= 3 and word[:1].isupper() and any(ch.islower() for ch in word[1:])


def number_first_street(value: str) -> tuple[str, str] | None:
    """(house number, first word) when the value is a house number followed by a capitalised name and
    nothing else but perhaps its postcode and town; every word of the name capitalised (a Roman numeral
    or a particle aside): `12 Stück` has the shape too, which the column test below tells apart."""
    match = _NUMBER_FIRST.match(value.strip())
    if match is None or not _proper_name(match.group(2)):
        return None
    rest = match.group(3).split()
    if any(w[:1].islower() and len(w) > 3 for w in rest):
        return None
    return match.group(1), match.group(2).lower()


def street_shaped_share(values: list[str]) -> float:
    """The share of values that are a house number and a capitalised name, in either order."""
    if not values:
        return 0.0
    return sum(1 for v in values if number_first_street(v) or name_then_number_street(v)) / len(values)


class NumberFirstStreetRecognizer(ColumnRecognizer):
    """Streets written number first (`433 Glitvangur`, as in English-speaking countries and in exports
    that put the house number first), whatever the street's words: a column mostly of a house number
    and a capitalised name, with many different numbers and many different names (a quantity and a
    unit, `12 Stück`, `3 Packungen`, repeats its few units). Streets written name first without a street
    word (`Μυκόνου 488`: Greek, and streets named after a person or a place anywhere) are judged the same
    way (a product and its model number repeat few numbers, a brand's line its names)."""

    entity = "STREET_ADDRESS"
    min_distinct: ClassVar[int] = 15
    min_variety: ClassVar[float] = 0.5  # distinct names and distinct numbers per matching value

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        if len(values) < self.min_distinct:
            return None
        shapes = [shape for v in values if (shape := number_first_street(v) or name_then_number_street(v))]
        if not shapes:
            return None
        numbers, names = {n for n, _ in shapes}, {w for _, w in shapes}
        if len(names) < self.min_variety * len(shapes) or len(numbers) < self.min_variety * len(shapes):
            return None
        return ColumnEvidence(self.entity, len(shapes) / len(values), 0.7)


# a house number may follow a number sign (`#123`, `No. 12`, `Nº 12`, `№ 12`) and be followed by the
# flat or the interior (`Int. 4`, `Depto 5`, `apt 3`, `кв. 12`): a short word, perhaps a dot, a number
_NUMBER_SIGN = r"(?:#\s?|(?:[Nn][oº°]\.?|№)\s?)?"
_UNIT = r"(?:,?\s+[^\W\d_]{1,6}\.?\s?\d{1,4}[^\W\d_]?)?"
_NAME_THEN_NUMBER = re.compile(
    rf"^([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){{0,5}}),?\s+{_NUMBER_SIGN}(\d{{1,5}}[^\W\d_]?){_UNIT}$",
    re.UNICODE,
)


def name_then_number_street(value: str) -> tuple[str, str] | None:
    """(house number, name) when the value is a capitalised name of up to four words and a house number
    (`Μυκόνου 488`, `Kerkstraat 12`, `Садовая 5`), every word capitalised and not all upper case."""
    match = _NAME_THEN_NUMBER.match(value.strip())
    if match is None:
        return None
    words = match.group(1).split()
    if not _proper_name(words[0]) or any(w[:1].islower() and len(w) > 3 for w in words[1:]):
        return None
    return match.group(2), match.group(1).lower()


# national postcode formats that say "postcode" on their own; five bare digits (US, DE, FR, IT, ES)
# need the column name
POSTCODE_FORMATS = {
    "NL": r"[1-9]\d{3} ?[A-Z]{2}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "GB": r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}",
    "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d",
    "US+4": r"\d{5}-\d{4}",
}
_POSTCODE = re.compile("^(?:" + "|".join(POSTCODE_FORMATS.values()) + ")$")
_SHORT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{2,8}[A-Z0-9]$")
# each country's postcode format (the UPU's and the national posts' formats, optional country prefix
# as written on letters): formats of bare digits say "postcode" only in a table whose region is known
REGION_POSTCODES = {
    "AT": r"(?:A-)?\d{4}", "BE": r"(?:B-)?\d{4}", "BG": r"\d{4}", "CH": r"(?:CH-)?\d{4}", "CY": r"\d{4}",
    "CZ": r"(?:CZ-)?\d{3} ?\d{2}", "DE": r"(?:D-)?\d{5}", "DK": r"(?:DK-)?\d{4}", "EE": r"\d{5}",
    "ES": r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}", "FI": r"(?:FI-)?\d{5}", "FR": r"(?:F-)?\d{5}", "GR": r"\d{3} ?\d{2}",
    "HR": r"(?:HR-)?\d{5}", "HU": r"(?:H-)?\d{4}", "IS": r"\d{3}", "IT": r"(?:I-)?\d{5}", "LI": r"\d{4}",
    "LT": r"(?:LT-)?\d{5}", "LU": r"(?:L-)?\d{4}", "LV": r"(?:LV-)?\d{4}", "NO": r"(?:N-)?\d{4}",
    "PT": r"\d{4}(?:-\d{3})?", "RO": r"\d{6}", "SE": r"(?:SE-)?\d{3} ?\d{2}", "SI": r"(?:SI-)?\d{4}",
    "SK": r"(?:SK-)?\d{3} ?\d{2}", "US": r"\d{5}(?:-\d{4})?", "CA": POSTCODE_FORMATS["CA"], "GB": POSTCODE_FORMATS["GB"],
    "NL": POSTCODE_FORMATS["NL"], "PL": POSTCODE_FORMATS["PL"], "AU": r"\d{4}", "TR": r"\d{5}",
    "IE": r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}",
    "RU": r"\d{6}", "BY": r"\d{6}", "UA": r"\d{5}",
    # outside Europe (the UPU's formats): the Americas, Asia, Africa, Oceania
    "BR": r"\d{5}-?\d{3}", "MX": r"\d{5}", "AR": r"[A-Z]\d{4}[A-Z]{3}|\d{4}", "CL": r"\d{3}-?\d{4}", "CO": r"\d{6}",
    "PE": r"\d{5}", "EC": r"\d{6}", "UY": r"\d{5}", "PY": r"\d{4}", "VE": r"\d{4}", "CR": r"\d{5}", "GT": r"\d{5}",
    "DO": r"\d{5}", "CU": r"\d{5}", "KZ": r"\d{6}|[A-Z]\d{2}[A-Z]\d[A-Z]\d", "AZ": r"(?:AZ ?-?)?\d{4}",
    "GE": r"\d{4}", "AM": r"\d{4}", "MD": r"(?:MD-?)?\d{4}", "UZ": r"\d{6}", "KG": r"\d{6}", "TJ": r"\d{6}",
    "TM": r"\d{6}", "MN": r"\d{5}", "CN": r"\d{6}", "JP": r"\d{3}-?\d{4}", "KR": r"\d{5}", "TW": r"\d{3}(?:\d{2,3})?",
    "IN": r"[1-9]\d{2} ?\d{3}", "PK": r"\d{5}", "BD": r"\d{4}", "LK": r"\d{5}", "NP": r"\d{5}", "TH": r"\d{5}",
    "MY": r"\d{5}", "SG": r"\d{6}", "ID": r"\d{5}", "PH": r"\d{4}", "VN": r"\d{6}", "IL": r"\d{7}|\d{5}",
    "SA": r"\d{5}(?:-\d{4})?", "JO": r"\d{5}", "IQ": r"\d{5}", "IR": r"\d{5}-?\d{5}", "EG": r"\d{5}", "MA": r"\d{5}",
    "DZ": r"\d{5}", "TN": r"\d{4}", "NG": r"\d{6}", "KE": r"\d{5}", "ZA": r"\d{4}", "NZ": r"\d{4}",
    "RS": r"\d{5}", "BA": r"\d{5}", "ME": r"\d{5}", "MK": r"\d{4}", "AL": r"\d{4}", "MT": r"[A-Z]{3} ?\d{4}",
}
_REGION_POSTCODE = {region: re.compile(f"^(?:{regex})$") for region, regex in REGION_POSTCODES.items()}
_LEADING_DIGITS = re.compile(r"\d\d?")


def postcode_spread(values: list[str]) -> int:
    """How widely the values spread over a country's regions: the number of different first digits, or
    half the number of different first two digits (a country whose codes all begin with 0 or 1, as
    Kazakhstan's do, spreads over its second digit). A column of customers' postcodes spreads over several;
    years, prices in a narrow band and counters of the same width do not."""
    firsts = {m.group() for v in values if (m := _LEADING_DIGITS.search(v))}
    return max(len({f[0] for f in firsts}), len({f for f in firsts if len(f) == 2}) // 2)


class PostalCodeRecognizer(ColumnRecognizer):
    """A column mostly of a distinctive national format (1234 AB, 12-345, SW1A 1AA); or, in a table
    whose region is known (its country column, its phones' prefix), mostly of that country's format,
    spread over its regions."""

    entity = "POSTAL_CODE"
    names = (
        r"postal|postal_?code|postcode|post_?code|zip|zip_?code|zipcode|plz|postleitzahl|code_?postal|cap|"
        r"codigo_?postal|kod_?pocztowy|cep|postal_?cd|zip_?cd|post_?cd|poct_?indeksi|poshta_?indeksi|"
        r"pochtovyy_?indeks|pochtovyi_?indeks"
    )
    numeric_ok = True
    min_distinct: ClassVar[int] = 15
    min_spread: ClassVar[int] = 4

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        if not values:
            return None
        fit = sum(1 for v in values if _POSTCODE.match(v.strip().upper()))
        return ColumnEvidence(self.entity, max(fit / len(values), self.regional_share(values, region)), 0.8)

    def regional_share(self, values: list[str], region: str | None) -> float:
        pattern = _REGION_POSTCODE.get(region or "")
        if pattern is None or len(values) < self.min_distinct or postcode_spread(values) < self.min_spread:
            return 0.0
        return sum(1 for v in values if pattern.match(v.strip().upper())) / len(values)

    @staticmethod
    def short_codes(values: list[str]) -> float:
        """Share of values shaped like a postcode of some country (for a column the name calls one)."""
        return sum(1 for v in values if _SHORT_CODE.match(v.strip().upper())) / len(values) if values else 0.0


class LocationRecognizer(ColumnRecognizer):
    """Cities and towns: a column whose values are mostly known place names."""

    entity = "LOCATION"
    names = (
        r"city|town|municipality|locality|place_of_birth|birth_?place|city_?name|ort|wohnort|stadt|ville|"
        r"commune|citta|comune|localita|ciudad|localidad|municipio|poblacion|woonplaats|plaats|stad|"
        r"miejscowosc|miasto"
    )
    min_distinct: ClassVar[int] = 15

    def judge(self, values: list[str], region: str | None = None) -> ColumnEvidence | None:
        if len(values) < self.min_distinct:
            return None
        known = places()
        fit = sum(1 for v in values if known_in(v.strip().lower(), known))
        return ColumnEvidence(self.entity, fit / len(values), 0.8)
