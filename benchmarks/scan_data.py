"""Seeded synthetic tables with ground truth for the PII scan benchmark.

Schema ``train``: the tables the classifier was tuned on (customers, orders, opaque column names, JSON
events). Schema ``holdout``: other column names and other value shapes (names as "Last, First",
IBANs in groups of four, dates as dd.mm.yyyy, German street addresses, E.164 phones, different hard
negatives), never used for tuning. Hard negatives throughout: order and batch numbers that look like
phone numbers, SKUs, UUIDs, hex ids, amounts, status enums, timestamps, product names in a column
called ``name``, and free text where only a minority of rows mentions an email or phone.

`build(con, rows)` writes both schemas with `rows` rows per table; `scale_up(con, factor)` makes
``train_big`` (the train tables repeated `factor` times, with DuckDB SQL: fast at 10 million rows).
`TRUTH` maps schema.table.column to the set of PII entities it holds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import string
import uuid

import duckdb

SEED = 7
FIRST = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Ava",
    "Elijah",
    "Sophia",
    "Lucas",
    "Isabella",
    "Mason",
    "Mia",
    "Ethan",
    "Charlotte",
    "James",
    "Harper",
    "Benjamin",
    "Evelyn",
    "Henry",
    "Abigail",
    "Alexander",
    "Emily",
    "Sebastian",
    "Ella",
    "Jack",
    "Daniel",
    "Sofia",
    "Matthew",
    "Avery",
    "Samuel",
    "Grace",
    "Joseph",
    "Chloe",
    "Victoria",
    "Owen",
    "Riley",
    "Aria",
    "John",
    "Lily",
    "Luke",
    "Nora",
    "Isaac",
    "Hannah",
    "Leo",
    "Hazel",
    "Anna",
    "Jonas",
    "Lena",
    "Felix",
    "Clara",
    "Paul",
    "Marie",
    "Finn",
    "Sophie",
    "Ahmed",
    "Fatima",
    "Omar",
    "Leila",
    "Wei",
    "Mei",
    "Priya",
    "Arjun",
    "Carlos",
    "Lucia",
    "Mateo",
    "Diego",
    "Camila",
    "Pierre",
    "Camille",
    "Hugo",
    "Lars",
    "Ingrid",
    "Sven",
    "Astrid",
    "Margaret",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "William",
    "Linda",
    "Richard",
    "Barbara",
    "Thomas",
    "Susan",
    "Karen",
    "Nancy",
    "Steven",
    "Donna",
    "Kevin",
    "Brian",
    "Dorothy",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Dubois",
    "Durand",
    "Moreau",
    "Laurent",
    "Jansen",
    "Visser",
    "Bakker",
    "Murphy",
    "Kelly",
    "Walsh",
    "Byrne",
    "Patel",
    "Shah",
    "Khan",
    "Singh",
    "Kumar",
    "Chen",
    "Wang",
    "Zhang",
    "Tanaka",
    "Suzuki",
    "Kowalski",
    "Nowak",
    "Rossi",
    "Russo",
    "Silva",
    "Santos",
    "Costa",
    "Andersson",
]
CITIES = [
    "London",
    "Manchester",
    "Leeds",
    "Glasgow",
    "Bristol",
    "Berlin",
    "Hamburg",
    "Munich",
    "Cologne",
    "Frankfurt",
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Dublin",
    "Cork",
    "Galway",
    "Madrid",
    "Barcelona",
    "Rome",
    "Milan",
    "Vienna",
    "Zurich",
    "Chicago",
    "Seattle",
    "Boston",
    "Denver",
    "Austin",
    "Toronto",
    "Sydney",
    "Melbourne",
    "Lisbon",
    "Porto",
    "Prague",
    "Warsaw",
    "Oslo",
]
STREETS = [
    "High Street",
    "Station Road",
    "Main Street",
    "Church Lane",
    "Park Avenue",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Oak Avenue",
    "Maple Drive",
    "Cedar Court",
    "Elm Street",
    "Mill Lane",
    "Bridge Street",
    "Sunset Boulevard",
    "Pine Street",
    "Washington Avenue",
    "Madison Avenue",
    "Abbey Road",
    "Queens Road",
]
GERMAN_STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Schillerstraße",
    "Lindenallee",
    "Marktplatz",
    "Goethestraße",
    "Rosenweg",
    "Kirchgasse",
    "Am Ring",
    "Mühlenweg",
    "Bergstraße",
]
DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "web.de",
    "example.org",
    "proton.me",
    "gmx.de",
    "icloud.com",
)
PRODUCTS = [
    f"{a} {n}"
    for a in [
        "Classic",
        "Organic",
        "Premium",
        "Compact",
        "Wireless",
        "Ergonomic",
        "Vintage",
        "Smart",
        "Deluxe",
        "Travel",
    ]
    for n in (
        "Mug",
        "Lamp",
        "Hoodie",
        "Backpack",
        "Headphones",
        "Charger",
        "Tent",
        "Candle",
        "Sneakers",
        "Water Bottle",
        "Desk Chair",
        "Face Cream",
    )
]
BOOKS = [
    "The Silent River",
    "Data at Scale",
    "A Tale of Two Servers",
    "Modern Pottery",
    "Winter Gardens",
    "The Last Harbour",
    "Cooking for Friends",
    "Mountain Trails",
    "Quiet Algorithms",
    "Letters from Lisbon",
]
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148",
)
HOLDOUT_AGENTS = (
    "curl/8.5.0",
    "okhttp/4.12.0",
    "python-requests/2.32.3",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B)",
    "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.289 Version/12.00",
    "Wget/1.21.4",
)
NOTES = (
    "Customer asked about delivery times.",
    "Left at the front door as requested.",
    "Gift wrap requested, no invoice in the parcel please.",
    "Second attempt, nobody was home.",
    "Package damaged in transit, replacement sent.",
    "Please deliver after 6pm on weekdays.",
    "Wants to change the size of the shoes to a larger one.",
    "Asked for a discount on the next order.",
)
CONTACTS = (
    " Reach me at {email} any time.",
    " Call me back on {phone} please.",
    " My email is {email}.",
    " Phone number for the courier: {phone}.",
)
STATUSES = ("placed", "shipped", "delivered", "returned", "cancelled", "on_hold")

TRUTH: dict[str, set[str]] = {}


def _label(table: str, column: str, *entities: str) -> None:
    TRUTH[f"{table}.{column}"] = set(entities)


def luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("4", 19), ("51", 16), ("2221", 16), ("34", 15), ("6011", 16)])
    return luhn(prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1)))


def iban(rng: random.Random) -> str:
    country, length = rng.choice([("DE", 18), ("FR", 23), ("NL", 14), ("GB", 18), ("ES", 20)])
    if country == "NL":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            rng.choice(string.digits) for _ in range(10)
        )
    elif country == "GB":
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(
            rng.choice(string.digits) for _ in range(14)
        )
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(length))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def phone(rng: random.Random) -> str:
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    return rng.choice(
        [
            f"+44 7{d(3)} {d(6)}",
            f"+49 30 {d(7)}",
            f"({rng.randint(201, 989)}) 555-01{d(2)}",
            f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+1 {rng.randint(201, 989)}-555-01{d(2)}",
        ]
    )


def email(rng: random.Random, first: str, last: str) -> str:
    clean = lambda s: "".join(c for c in s.lower() if c.isascii() and c.isalpha())  # noqa: E731
    return f"{clean(first)}.{clean(last)}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"


def birth_date(rng: random.Random) -> dt.date:
    return dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 65))


def recent(rng: random.Random) -> dt.datetime:
    return dt.datetime(2025, 1, 1) + dt.timedelta(seconds=rng.randint(0, 86400 * 600))


def ipv4(rng: random.Random) -> str:
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def free_text(rng: random.Random, first: str, last: str, share: float) -> str:
    text = rng.choice(NOTES)
    if rng.random() < share:
        text += rng.choice(CONTACTS).format(email=email(rng, first, last), phone=phone(rng))
    return text


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, tuple[str, list]]) -> None:
    """Create `name` from column lists (unnest of bound lists: fast, no per-row inserts)."""
    select = ", ".join(
        f"unnest(${i + 1})::{sqltype} as {col}" for i, (col, (sqltype, _)) in enumerate(columns.items())
    )
    con.execute(
        f"create or replace table {name} as select {select}", [values for _, values in columns.values()]
    )


def build(con: duckdb.DuckDBPyConnection, rows: int, seed: int = SEED) -> None:
    TRUTH.clear()
    rng = random.Random(seed)
    con.execute("create schema if not exists train")
    con.execute("create schema if not exists holdout")
    firsts = [rng.choice(FIRST) for _ in range(rows)]
    lasts = [rng.choice(LAST) for _ in range(rows)]

    # train.customers
    t = "train.customers"
    _create(
        con,
        t,
        {
            "customer_id": ("bigint", list(range(1, rows + 1))),
            "first_name": ("varchar", firsts),
            "last_name": ("varchar", lasts),
            "email": ("varchar", [email(rng, f, la) for f, la in zip(firsts, lasts, strict=True)]),
            "phone": ("varchar", [phone(rng) if rng.random() < 0.9 else None for _ in range(rows)]),
            "date_of_birth": ("date", [birth_date(rng) for _ in range(rows)]),
            "signup_date": ("date", [recent(rng).date() for _ in range(rows)]),
            "street": ("varchar", [f"{rng.randint(1, 300)} {rng.choice(STREETS)}" for _ in range(rows)]),
            "city": ("varchar", [rng.choice(CITIES) for _ in range(rows)]),
            "zip_code": ("varchar", [f"{rng.randint(10000, 99999)}" for _ in range(rows)]),
            "country": ("varchar", [rng.choice(["DE", "GB", "FR", "NL", "US"]) for _ in range(rows)]),
            "status": ("varchar", [rng.choice(["active", "inactive", "blocked"]) for _ in range(rows)]),
            "external_uuid": (
                "uuid",
                [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(rows)],
            ),
            "is_vip": ("boolean", [rng.random() < 0.1 for _ in range(rows)]),
        },
    )
    for col, ent in [
        ("first_name", "PERSON"),
        ("last_name", "PERSON"),
        ("email", "EMAIL_ADDRESS"),
        ("phone", "PHONE_NUMBER"),
        ("date_of_birth", "DATE_OF_BIRTH"),
        ("street", "STREET_ADDRESS"),
        ("city", "LOCATION"),
        ("zip_code", "POSTAL_CODE"),
    ]:
        _label(t, col, ent)
    for col in ("customer_id", "signup_date", "country", "status", "external_uuid", "is_vip"):
        _label(t, col)

    # train.orders
    t = "train.orders"
    _create(
        con,
        t,
        {
            "order_id": ("bigint", list(range(1, rows + 1))),
            "order_number": ("varchar", [f"10{i:08d}" for i in range(rows)]),
            "batch_number": ("varchar", [f"{rng.randint(2000000000, 9999999999)}" for _ in range(rows)]),
            "sku": (
                "varchar",
                [
                    f"SKU-{rng.randint(1000, 9999)}-{rng.choice(string.ascii_uppercase)}{rng.randint(10, 99)}"
                    for _ in range(rows)
                ],
            ),
            "name": ("varchar", [rng.choice(PRODUCTS) for _ in range(rows)]),
            "amount": ("decimal(12,2)", [round(rng.uniform(1, 900), 2) for _ in range(rows)]),
            "status": ("varchar", [rng.choice(STATUSES) for _ in range(rows)]),
            "created_at": ("timestamp", [recent(rng) for _ in range(rows)]),
            "ip_address": ("varchar", [ipv4(rng) for _ in range(rows)]),
            "user_agent": ("varchar", [rng.choice(USER_AGENTS) for _ in range(rows)]),
            "card_number": ("varchar", [card(rng) if rng.random() < 0.6 else None for _ in range(rows)]),
            "iban": ("varchar", [iban(rng) if rng.random() < 0.3 else None for _ in range(rows)]),
            "notes": ("varchar", [free_text(rng, f, la, 0.12) for f, la in zip(firsts, lasts, strict=True)]),
            "payment_ref": (
                "varchar",
                [uuid.UUID(int=rng.getrandbits(128), version=4).hex for _ in range(rows)],
            ),
        },
    )
    for col, ents in [
        ("ip_address", ["IP_ADDRESS"]),
        ("user_agent", ["USER_AGENT"]),
        ("card_number", ["CREDIT_CARD"]),
        ("iban", ["IBAN_CODE"]),
        ("notes", ["EMAIL_ADDRESS", "PHONE_NUMBER"]),
    ]:
        _label(t, col, *ents)
    for col in (
        "order_id",
        "order_number",
        "batch_number",
        "sku",
        "name",
        "amount",
        "status",
        "created_at",
        "payment_ref",
    ):
        _label(t, col)

    # train.opaque: column names say nothing
    t = "train.opaque"
    _create(
        con,
        t,
        {
            "f_1": ("varchar", [email(rng, f, la) for f, la in zip(firsts, lasts, strict=True)]),
            "f_2": ("varchar", [f"{f} {la}" for f, la in zip(firsts, lasts, strict=True)]),
            "f_3": ("varchar", [phone(rng) for _ in range(rows)]),
            "f_4": ("date", [birth_date(rng) for _ in range(rows)]),
            "f_5": ("varchar", [card(rng) for _ in range(rows)]),
            "f_6": ("varchar", [f"{rng.randint(1000000000, 9999999999)}" for _ in range(rows)]),
            "f_7": ("double", [rng.uniform(0, 1000) for _ in range(rows)]),
            "col3": ("varchar", [rng.choice(STATUSES) for _ in range(rows)]),
            "col4": ("varchar", [f"{rng.randint(1, 300)} {rng.choice(STREETS)}" for _ in range(rows)]),
            "col5": ("varchar", [rng.choice(PRODUCTS) for _ in range(rows)]),
        },
    )
    for col, ent in [
        ("f_1", "EMAIL_ADDRESS"),
        ("f_2", "PERSON"),
        ("f_3", "PHONE_NUMBER"),
        ("f_4", "DATE_OF_BIRTH"),
        ("f_5", "CREDIT_CARD"),
        ("col4", "STREET_ADDRESS"),
    ]:
        _label(t, col, ent)
    for col in ("f_6", "f_7", "col3", "col5"):
        _label(t, col)

    # train.events: JSON documents
    t = "train.events"
    docs = [
        json.dumps(
            {
                "user": {"name": f"{f} {la}", "email": email(rng, f, la)},
                "action": rng.choice(["login", "checkout", "view"]),
                "ts": recent(rng).isoformat(),
                "session": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
            }
        )
        for f, la in zip(firsts, lasts, strict=True)
    ]
    _create(
        con,
        t,
        {
            "event_id": ("bigint", list(range(1, rows + 1))),
            "body": ("json", docs),
            "received_at": ("timestamp", [recent(rng) for _ in range(rows)]),
        },
    )
    _label(t, "body", "PERSON", "EMAIL_ADDRESS")
    _label(t, "event_id")
    _label(t, "received_at")

    # holdout.contacts: unseen names and shapes
    t = "holdout.contacts"
    born = [birth_date(rng) for _ in range(rows)]
    _create(
        con,
        t,
        {
            "recipient": ("varchar", [f"{la}, {f}" for f, la in zip(firsts, lasts, strict=True)]),
            "contact_info": (
                "varchar",
                [
                    email(rng, f, la).replace("@", f"+shop{rng.randint(1, 9)}@").upper()
                    if rng.random() < 0.3
                    else email(rng, f, la)
                    for f, la in zip(firsts, lasts, strict=True)
                ],
            ),
            "c_02": (
                "varchar",
                [
                    rng.choice(["+49151", "+4475", "+336"]) + f"{rng.randint(10000000, 99999999)}"
                    for _ in range(rows)
                ],
            ),
            "location_line": (
                "varchar",
                [f"{rng.choice(GERMAN_STREETS)} {rng.randint(1, 120)}" for _ in range(rows)],
            ),
            "geburtstag": ("varchar", [d.strftime("%d.%m.%Y") for d in born]),
            "src": (
                "varchar",
                [
                    ipv4(rng)
                    if rng.random() < 0.7
                    else f"2001:db8:{rng.randint(0, 65535):x}::{rng.randint(1, 65535):x}"
                    for _ in range(rows)
                ],
            ),
            "client": ("varchar", [rng.choice(HOLDOUT_AGENTS + USER_AGENTS[:1]) for _ in range(rows)]),
            "payment_token": ("varchar", [_group(card(rng), "-") for _ in range(rows)]),
            "account": ("varchar", [_group(iban(rng), " ") for _ in range(rows)]),
            "comment": (
                "varchar",
                [free_text(rng, f, la, 0.08) for f, la in zip(firsts, lasts, strict=True)],
            ),
            "tracking_number": (
                "varchar",
                [f"{rng.randint(100000000000, 999999999999)}" for _ in range(rows)],
            ),
            "reference_code": (
                "varchar",
                [f"INV-{rng.randint(2020, 2026)}-{rng.randint(0, 999999):06d}" for _ in range(rows)],
            ),
            "price_eur": (
                "varchar",
                [f"{rng.randint(1, 500)},{rng.randint(0, 99):02d}" for _ in range(rows)],
            ),
            "region_code": ("varchar", [rng.choice(["BY", "NW", "BE", "HH", "HE"]) for _ in range(rows)]),
            "title": ("varchar", [rng.choice(BOOKS) for _ in range(rows)]),
            "event_epoch": ("bigint", [int(recent(rng).timestamp()) for _ in range(rows)]),
            "hex_id": ("varchar", [f"{rng.getrandbits(64):016x}" for _ in range(rows)]),
            "delivery_date": ("varchar", [recent(rng).strftime("%d.%m.%Y") for _ in range(rows)]),
        },
    )
    for col, ents in [
        ("recipient", ["PERSON"]),
        ("contact_info", ["EMAIL_ADDRESS"]),
        ("c_02", ["PHONE_NUMBER"]),
        ("location_line", ["STREET_ADDRESS"]),
        ("geburtstag", ["DATE_OF_BIRTH"]),
        ("src", ["IP_ADDRESS"]),
        ("client", ["USER_AGENT"]),
        ("payment_token", ["CREDIT_CARD"]),
        ("account", ["IBAN_CODE"]),
        ("comment", ["PHONE_NUMBER", "EMAIL_ADDRESS"]),
    ]:
        _label(t, col, *ents)
    for col in (
        "tracking_number",
        "reference_code",
        "price_eur",
        "region_code",
        "title",
        "event_epoch",
        "hex_id",
        "delivery_date",
    ):
        _label(t, col)


def _group(value: str, sep: str) -> str:
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


TRAIN_TABLES = ("customers", "orders", "opaque", "events")


def scale_up(con: duckdb.DuckDBPyConnection, factor: int) -> None:
    """train_big.<table> = train.<table> repeated `factor` times (same values, factor times the rows)."""
    con.execute("create schema if not exists train_big")
    for table in TRAIN_TABLES:
        con.execute(
            f"create or replace table train_big.{table} as select t.* from train.{table} t, range({factor})"
        )


def truth_for(schema: str) -> dict[str, set[str]]:
    """Ground truth for a schema (train_big shares train's)."""
    base = "train" if schema == "train_big" else schema
    return {
        f"{schema}.{key.split('.', 1)[1]}": value
        for key, value in TRUTH.items()
        if key.startswith(f"{base}.")
    }
