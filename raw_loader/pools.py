"""Deterministic value pools (names, streets, cards, IBANs, ...) the raw-layer generator picks from.

Everything here is synthetic. Card numbers pass the Luhn check and IBANs the ISO 13616 mod-97
check, so that detectors with checksums treat them as the real thing.
"""

from __future__ import annotations

import random
import string

FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Lucas", "Isabella", "Mason", "Mia", "Ethan", "Charlotte", "James", "Harper", "Benjamin", "Evelyn", "Henry", "Abigail", "Alexander", "Emily", "Sebastian", "Ella", "Jack", "Elizabeth", "Daniel", "Sofia", "Matthew", "Avery", "Samuel", "Scarlett", "David", "Grace", "Joseph", "Chloe", "Carter", "Victoria", "Owen", "Riley", "Wyatt", "Aria", "John", "Lily", "Luke", "Aurora", "Gabriel", "Zoey", "Anthony", "Nora", "Isaac", "Hannah", "Dylan", "Layla", "Leo", "Hazel", "Lincoln", "Ellie", "Jaxon", "Paisley", "Asher", "Audrey", "Christopher", "Skylar", "Josiah", "Violet", "Andrew", "Claire", "Thomas", "Bella", "Joshua", "Lucy", "Ezra", "Anna", "Hudson", "Samantha", "Charles", "Caroline", "Caleb", "Genesis", "Isaiah", "Aaliyah", "Ryan", "Kennedy", "Nathan", "Kinsley", "Adrian", "Allison", "Christian", "Maya", "Maria", "Jonas", "Lena", "Felix", "Clara", "Paul", "Marie", "Finn", "Sophie", "Ahmed", "Fatima", "Yusuf", "Aisha", "Omar", "Leila", "Wei", "Mei", "Hiroshi", "Yuki", "Priya", "Arjun", "Ravi", "Ananya", "Carlos", "Lucia", "Mateo", "Valentina", "Diego", "Camila", "Pierre", "Camille", "Louis", "Manon", "Hugo", "Chloé", "Lars", "Ingrid", "Sven", "Astrid"]

LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Leroy", "Jansen", "Visser", "Bakker", "Smit", "Meijer", "Mulder", "Murphy", "Kelly", "O'Brien", "Walsh", "Byrne", "Ryan", "Patel", "Shah", "Khan", "Ali", "Singh", "Kumar", "Chen", "Wang", "Li", "Zhang", "Tanaka", "Suzuki", "Sato", "Kowalski", "Nowak", "Novak", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Silva", "Santos", "Oliveira", "Pereira", "Costa"]

STREET_NAMES = ["High Street", "Station Road", "Main Street", "Church Lane", "Park Avenue", "Victoria Road", "Green Lane", "Manor Road", "Kings Road", "Queens Road", "Oak Avenue", "Maple Drive", "Cedar Court", "Elm Street", "Mill Lane", "School Lane", "The Crescent", "North Street", "South Street", "West Street", "Bridge Street", "Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Rue de la Paix", "Rue Victor Hugo", "Avenue Foch", "Kerkstraat", "Dorpsstraat", "Molenweg", "Sunset Boulevard", "Lake Shore Drive", "Pine Street", "Washington Avenue", "Lincoln Road", "Jefferson Street", "Madison Avenue", "Grand Canal Street", "Abbey Road"]

STREET_SUFFIXES = ("", "", "", " Apt 2", " Flat 3B", " Unit 12", " Suite 400", "")

CITIES = {
    "GB": ["London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Edinburgh"],
    "US": ["New York", "Chicago", "Seattle", "Austin", "Boston", "Denver", "San Francisco"],
    "DE": ["Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Leipzig"],
    "FR": ["Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes"],
    "NL": ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "The Hague", "Leiden"],
    "IE": ["Dublin", "Cork", "Galway", "Limerick", "Waterford", "Kilkenny", "Sligo"],
}
COUNTRY_CODES = tuple(CITIES)
COUNTRY_CURRENCIES = {"GB": "GBP", "US": "USD", "DE": "EUR", "FR": "EUR", "NL": "EUR", "IE": "EUR"}

EMAIL_DOMAINS = (
    "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "web.de", "orange.fr",
    "hotmail.co.uk", "example.org", "mail.com", "gmx.de", "ziggo.nl",
)

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:130.0) Gecko/20100101 Firefox/130.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
)

PRODUCT_ADJECTIVES = ["Classic", "Organic", "Premium", "Compact", "Wireless", "Ergonomic", "Vintage", "Eco", "Smart", "Deluxe", "Ultra", "Travel", "Handmade", "Minimalist", "Rugged"]
PRODUCT_NOUNS = {
    "Home": ["Mug", "Lamp", "Throw Blanket", "Candle", "Vase", "Cutting Board"],
    "Electronics": ["Headphones", "Charger", "Speaker", "Keyboard", "Webcam", "Power Bank"],
    "Apparel": ["Hoodie", "T-Shirt", "Rain Jacket", "Beanie", "Socks", "Sneakers"],
    "Outdoors": ["Backpack", "Water Bottle", "Tent", "Headlamp", "Sleeping Bag", "Trekking Poles"],
    "Beauty": ["Face Cream", "Shampoo", "Lip Balm", "Sunscreen", "Body Lotion", "Hand Soap"],
}

TICKET_SUBJECTS = (
    "Where is my order?", "Wrong item received", "Refund request", "Change delivery address",
    "Payment failed", "Product arrived damaged", "Cancel my order", "Question about sizing",
    "Discount code not working", "Account access problem",
)
# Ticket bodies; {contact} is replaced by an email or phone number in a minority of tickets.
TICKET_BODIES = (
    "Hi, my order has not arrived yet. Could you check the status please?",
    "The parcel contained the wrong colour. I would like to exchange it.",
    "I returned the item two weeks ago and have not received my refund.",
    "Please update the delivery address on my latest order before it ships.",
    "My card was charged twice for the same order. Please fix this.",
    "The box was crushed and the product inside is broken.",
    "I ordered by mistake, please cancel the order.",
    "Does this run small? I normally wear a medium.",
    "The discount code from the newsletter is rejected at checkout.",
    "I cannot log in to my account since the last update.",
)
TICKET_CONTACT_TEMPLATES = (
    " You can reach me at {email}.",
    " Please call back on {phone} after 5pm.",
    " My other address is {email} if this one bounces.",
    " Best number to reach me: {phone}.",
)

# The pharmacy: medications dispensed on prescription, the conditions prescriptions are written for,
# and the prescriber's free-text notes ({condition} and {medication} are filled in).
MEDICATIONS = (
    "Amoxicillin 500 mg capsules", "Atorvastatin 20 mg tablets", "Metformin 850 mg tablets",
    "Lisinopril 10 mg tablets", "Levothyroxine 50 mcg tablets", "Salbutamol 100 mcg inhaler",
    "Sertraline 50 mg tablets", "Omeprazole 20 mg capsules", "Amlodipine 5 mg tablets",
    "Insulin glargine 100 units/ml pen", "Prednisolone 5 mg tablets", "Cetirizine 10 mg tablets",
)
MEDICAL_CONDITIONS = (
    "hypertension", "type 2 diabetes", "asthma", "hypothyroidism", "depression", "high cholesterol",
    "a chest infection", "acid reflux", "hay fever", "an eczema flare-up",
)
PRESCRIPTION_NOTES = (
    "Prescribed for {condition}. Take one daily with food.",
    "Continue {medication} for {condition}; review in three months.",
    "Patient reports {condition}. Penicillin allergy noted.",
    "Repeat prescription for {condition}. No change to dose.",
    "Short course for {condition}; stop if a rash develops.",
)

MARKETING_CHANNELS = ("paid_search", "paid_social", "display", "affiliate", "email")
MARKETING_CAMPAIGNS = ("brand", "prospecting", "retargeting")


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def card_numbers(count: int, seed: int) -> list[str]:
    """Luhn-valid card numbers across brands and lengths (Visa 16/19, Mastercard 5x/2x, Amex 15,
    Maestro 12-19), formatted as payment systems export them (mostly plain digits)."""
    rng = random.Random(seed)
    prefixes = [("4", 16), ("4", 19), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15),
                ("37", 15), ("6759", 16), ("6011", 16)]
    numbers = []
    for n in range(count):
        prefix, length = prefixes[n % len(prefixes)]
        body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
        number = body + luhn_check_digit(body)
        if n % 7 == 3:  # some systems keep the grouping
            number = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
        numbers.append(number)
    return numbers


def _iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def ibans(count: int, seed: int) -> list[str]:
    """IBANs with valid mod-97 check digits for GB, DE, FR, NL and IE."""
    rng = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    def letters(n: int) -> str:
        return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))

    layouts = {
        "GB": lambda: letters(4) + digits(14),
        "DE": lambda: digits(18),
        "FR": lambda: digits(23),
        "NL": lambda: letters(4) + digits(10),
        "IE": lambda: letters(4) + digits(14),
    }
    result = []
    countries = list(layouts)
    for n in range(count):
        country = countries[n % len(countries)]
        bban = layouts[country]()
        result.append(country + _iban_check_digits(country, bban) + bban)
    return result


def product_catalogue() -> list[tuple[str, str]]:
    """(product name, category) pairs."""
    return [
        (f"{adjective} {noun}", category)
        for category, nouns in PRODUCT_NOUNS.items()
        for noun in nouns
        for adjective in PRODUCT_ADJECTIVES
    ]
