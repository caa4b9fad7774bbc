"""The broad labelled benchmark of the PII scan: 32 locales, seven naming schemes, two generators.

Six parts, built from different generators so that the detector is not tuned to one generator's habits:

- ``corpus_train`` (Faker): locales en_US, de_DE, fr_FR, it_IT; column names in English and in the
  locale's language. The detector may be tuned on this part.
- ``corpus_heldout`` (mimesis, plus checksum-valid national identifiers generated here): locales en_GB,
  es_ES, nl_NL, pl_PL; column names in the locale's language and opaque (``c01``, ``f_7``,
  ``attr_03``). Whole locales and whole naming schemes are held out: no held-out locale or the opaque
  scheme appears in the train part. Never used for tuning.
- ``corpus_heldout2`` (mimesis in six other locales: pt_PT, da_DK, cs_CZ, sv_SE, de_AT, fi_FI; phones in
  each country's real number plan; the locale's national identifier, valid by python-stdnum): column
  names in the locale's language and in a second opaque scheme (``v7``, ``fld012``, ``x3fa9``), and
  the hard negatives in other shapes (EAN-8/UPC-A, ``ORD-2025-000123``, ``1.234,56 kr.``, alpha-3
  country codes, MD5/SHA-1 digests, upper-case UUIDs, localised statuses, ISO timestamps as text).
  Added and committed before the second round of tuning, which was chosen on the training part only.
- ``corpus_heldout3`` (mimesis in six locales that neither another part nor any tuning table had: sk_SK,
  hu_HU, hr_HR, et_EE, is_IS, nl_BE; phones in each country's number plan; the national identifier,
  valid by python-stdnum or, for Hungary's tax number, by its own check): column names in the locale's
  language and in a third opaque scheme (``k3_07``, ``n0012``, ``zz1f``); instead of the shop table a
  ``stock_*`` table of hard negatives of new shapes (ISBNs, device model codes, parcel tracking numbers,
  companies' VAT numbers, IBAN-shaped internal account codes that fail the IBAN check, lot numbers,
  chemical formulas, software versions, machines' hardware addresses, warehouse codes, ICD-shaped category
  codes, customs tariff codes, SSCC pallet codes, companies' legal names, some after their founder,
  brands, some eponymous, reviews and product descriptions in the language that mention towns and brands,
  best-before dates, weights, dimensions, opening hours, tax rates, cost centres). Committed and measured
  before the third round of tuning. The stock table's classes are also made by Faker in the training
  locales (`FakerStockSource`), outside the benchmark's parts: that is what the tuning and the unit
  tests read.
- ``corpus_heldout4`` (mimesis in six locales no earlier part or tuning table had: no_NO, el_GR (Greek
  script), de_CH, tr_TR, uk_UA and ru_RU (Cyrillic); phones in each country's number plan; the person's
  national identifier valid by python-stdnum, three of them without a recognizer: the Turkish identity
  number, the Ukrainian RNOKPP, the Russian INN): column names in the language, transliterated, and in a
  fourth opaque scheme (``r2c07``, ``ff_12``, ``u0x1b``); instead of the shop table a ``catalog_*`` table of
  hard negatives: the earlier classes in new shapes (``SO/2025/000123``, GTIN-14, ``CHF 1'234.50``, dotted
  delivery dates, article numbers grouped like phones, ``802.413.53``) and new ones (companies' registry
  and tax numbers with valid checksums, legal names with and without a legal form, eponymous brands and
  designers' names, reviews and descriptions in the language mentioning towns, ISO 6346 container
  numbers, GLNs, LEIs, UN numbers, NACE codes, flight numbers, colour codes, energy classes, storage
  temperatures, product URLs). Committed and measured before the fourth round of tuning (spent: its error
  list was read at the end of that round).
- ``corpus_heldout5`` (mimesis in six locales outside Europe that no earlier part or tuning table had:
  kk_KZ (Cyrillic), az_AZ, es_MX, pt_BR, en_AU, en_CA; phones in each country's number plan; the person's
  national identifier with its check digits (Kazakh IIN, Azerbaijani FIN, Mexican CURP, Brazilian CPF,
  Australian TFN, Canadian SIN: the detector has a recognizer for none of them); national bank accounts
  where the country has no IBAN (CLABE, BSB and account, transit and account)): column names in the
  language and in a fifth opaque scheme (``qk7``, ``cv0019``, ``h12_e4``); instead of the shop table a
  ``ledger_*`` table of hard negatives in new shapes (companies' tax and registry numbers with valid check
  digits, legal names with and without a legal form, bank routing codes, NF-e access keys, ISINs, IMO ship
  numbers, tariff codes, tickers, transaction ids stored as BIGINT, meter readings, rates, coupons,
  tickets, reviews and descriptions in the language mentioning towns and brands). Committed and measured
  before the fifth round of tuning; `--errors` does not print its per-column misses (`SEALED_PARTS`)
  unless asked for by name (spent since: its error list was read at the end of the fifth round).
- ``corpus_heldout6`` (the product's own languages under generators it was not tuned on: mimesis in de_DE,
  fr_FR and it_IT, and ro_RO, lt_LT, lv_LV written over Faker's name lists with hand-made formats, streets
  and towns; phones in each country's number plan; the person's national identifier with its check digits,
  the Lithuanian and Latvian ones without a recognizer): column names in the language, spelt otherwise
  than in the training tables (``rufname``, ``titulaire``, ``intestatario``, ``asmens_kodas``), and in a sixth
  opaque scheme of decoy words (``heron_4``, ``basalt``); instead of the shop table an ``invoice_*`` table of
  hard negatives (companies' VAT and registry numbers with valid check digits, SEPA creditor identifiers
  and RF creditor references checked by mod 97 like an IBAN, EORI numbers, barcodes printed in groups
  like phones, amounts in cents as BIGINT, brands, some eponymous, reviews and descriptions mentioning
  towns, bin codes, batch numbers, commit hashes, quantities, VAT rates). Committed and measured before the
  sixth round of tuning (spent since: its error list was read at the end of that round). A national
  identifier found as the generic
  ``NATIONAL_ID`` counts as found.

Per locale and naming scheme two tables: ``people_<locale>_<scheme>`` (lone given names, lone family
names, full names, e-mails, phones in national and international formats, a phone and a card number
stored as BIGINT, dates of birth, street addresses in the national format, full postal addresses,
cities, postcodes, the national identifier with its checksum, IBAN, BIC, card numbers, IP addresses,
notes with occasional contact details, and negatives: ids, signup timestamps, country codes, companies)
and ``shop_<locale>_<scheme>`` (hard negatives only: EAN-13 barcodes, SKUs, order numbers, amounts as
numbers and as text, ISO country and currency codes, company and brand names, product titles, hex
digests, UUIDs, URL paths, statuses, product descriptions, order timestamps).

Deterministic: every generator is seeded from (SEED, locale, scheme, column). `LABELS` maps
``schema.table.column`` to a `Label` (the entities the column must be found to hold, and the entities
it may also be reported with, e.g. a full postal address may also be a LOCATION and a POSTAL_CODE).
`score(predicted)` computes column-level precision/recall per part, locale and entity, and the false
positives on hard negatives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import duckdb

SEED = 15
VERSION = 8  # bump when the generated data changes (the benchmark reuses a generated file with the same marker)
TRAIN_LOCALES = ("en_US", "de_DE", "fr_FR", "it_IT")
HELDOUT_LOCALES = ("en_GB", "es_ES", "nl_NL", "pl_PL")
TRAIN_SCHEMES = ("english", "native")
HELDOUT_SCHEMES = ("native", "opaque")
# a second held-out part, committed before the second round of tuning: mimesis again but six other
# locales (whose national identifiers, postcodes, phone plans and street words no earlier part has),
# another opaque naming scheme (`v7`, `fld012`, `x3fa9`) and new hard negatives of the same classes
HELDOUT2_LOCALES = ("pt_PT", "da_DK", "cs_CZ", "sv_SE", "de_AT", "fi_FI")
HELDOUT2_SCHEMES = ("native", "coded")
# a third held-out part, committed and measured before the third round of tuning: mimesis in six locales
# that no part and no tuning table has had (Slovak, Hungarian, Croatian, Estonian, Icelandic, Flemish), a
# third opaque naming scheme (`k3_07`, `n0012`, `zz1f`) and a table of hard negatives of new shapes
HELDOUT3_LOCALES = ("sk_SK", "hu_HU", "hr_HR", "et_EE", "is_IS", "nl_BE")
HELDOUT3_SCHEMES = ("native", "serial")
PARTS = {
    "corpus_train": (TRAIN_LOCALES, TRAIN_SCHEMES),
    "corpus_heldout": (HELDOUT_LOCALES, HELDOUT_SCHEMES),
    "corpus_heldout2": (HELDOUT2_LOCALES, HELDOUT2_SCHEMES),
    "corpus_heldout3": (HELDOUT3_LOCALES, HELDOUT3_SCHEMES),
}
TABLE_KINDS = {"corpus_heldout3": ("people", "stock")}  # the other parts: people and shop

NATIONAL_ID = {
    "en_US": "US_SSN",
    "de_DE": "DE_TAX_ID",
    "fr_FR": "FR_NIR",
    "it_IT": "IT_FISCAL_CODE",
    "en_GB": "UK_NINO",
    "es_ES": "ES_NIF",
    "nl_NL": "NL_BSN",
    "pl_PL": "PL_PESEL",
    "pt_PT": "PT_NIF",
    "da_DK": "DK_CPR",
    "cs_CZ": "CZ_BIRTH_NUMBER",
    "sv_SE": "SE_PERSONNUMMER",
    "de_AT": "AT_SOCIAL_SECURITY",
    "fi_FI": "FI_HETU",
    "sk_SK": "CZ_BIRTH_NUMBER",  # the Slovak birth number has the Czech form and check (one entity)
    "hu_HU": "HU_TAX_ID",  # no recognizer: the Hungarian tax identification number (adoazonosito jel)
    "hr_HR": "HR_OIB",
    "et_EE": "EE_PERSONAL_CODE",
    "is_IS": "IS_KENNITALA",
    "nl_BE": "BE_NATIONAL_NUMBER",
}
COUNTRY = {loc: loc.split("_")[1] for loc in TRAIN_LOCALES + HELDOUT_LOCALES + HELDOUT2_LOCALES + HELDOUT3_LOCALES}


@dataclass(frozen=True)
class Label:
    entities: frozenset[str]  # what the column must be found to hold (empty: not personal)
    also: frozenset[str] = frozenset()  # what it may also be reported with, without counting as wrong
    hard_negative: bool = False

    @property
    def personal(self) -> bool:
        return bool(self.entities)


LABELS: dict[str, Label] = {}

# --- column names ------------------------------------------------------------------------------------
# semantic key -> column name, per naming scheme and language

ENGLISH = {
    "id": "customer_id", "given": "first_name", "family": "last_name", "full_name": "full_name",
    "email": "email", "phone": "phone", "phone_intl": "mobile", "phone_num": "phone_number",
    "dob": "date_of_birth", "street": "street", "address": "postal_address", "city": "city",
    "postcode": "zip_code", "country": "country", "national_id": "national_id", "iban": "iban",
    "bic": "bic", "card": "card_number", "card_num": "card_pan", "ip": "ip_address", "notes": "notes",
    "signup": "signed_up_at", "company": "employer",
    "order_no": "order_number", "sku": "sku", "ean": "barcode", "amount": "amount", "amount_text": "price",
    "currency": "currency", "country_code": "ship_country", "brand": "brand", "vendor": "vendor",
    "title": "product_title", "digest": "checksum", "uuid": "request_uuid", "url_path": "url_path",
    "status": "status", "description": "description", "ordered_at": "ordered_at", "quantity": "quantity",
}
NATIVE = {
    "en_US": ENGLISH,
    "en_GB": {
        **ENGLISH, "id": "client_ref", "given": "forename", "family": "surname", "full_name": "name_on_account",
        "phone": "telephone", "phone_intl": "mobile_no", "phone_num": "tel_no", "dob": "birth_date",
        "street": "address_line_1", "address": "correspondence_address", "city": "town", "postcode": "postcode",
        "national_id": "ni_number", "iban": "bank_account", "bic": "swift", "card": "payment_card",
        "card_num": "pan", "ip": "remote_addr", "notes": "remarks", "company": "organisation",
        "amount_text": "total_gbp", "title": "item_name", "digest": "sha_digest", "ordered_at": "placed_at",
    },
    "de_DE": {
        "id": "kundennr", "given": "vorname", "family": "nachname", "full_name": "name", "email": "e_mail",
        "phone": "telefon", "phone_intl": "handy", "phone_num": "telefonnummer", "dob": "geburtsdatum",
        "street": "strasse", "address": "anschrift", "city": "ort", "postcode": "plz", "country": "land",
        "national_id": "steuer_id", "iban": "iban", "bic": "bic", "card": "kartennummer",
        "card_num": "kreditkarte", "ip": "ip_adresse", "notes": "bemerkung", "signup": "angelegt_am",
        "company": "arbeitgeber", "order_no": "bestellnummer", "sku": "artikelnummer", "ean": "ean",
        "amount": "betrag", "amount_text": "preis", "currency": "waehrung", "country_code": "lieferland",
        "brand": "marke", "vendor": "haendler", "title": "artikelbezeichnung", "digest": "pruefsumme",
        "uuid": "vorgang_uuid", "url_path": "pfad", "status": "status", "description": "beschreibung",
        "ordered_at": "bestellt_am", "quantity": "menge",
    },
    "fr_FR": {
        "id": "id_client", "given": "prenom", "family": "nom", "full_name": "nom_complet", "email": "courriel",
        "phone": "telephone", "phone_intl": "portable", "phone_num": "num_tel", "dob": "date_naissance",
        "street": "adresse", "address": "adresse_postale", "city": "ville", "postcode": "code_postal",
        "country": "pays", "national_id": "num_secu", "iban": "iban", "bic": "bic", "card": "num_carte",
        "card_num": "carte_bancaire", "ip": "adresse_ip", "notes": "commentaire", "signup": "inscrit_le",
        "company": "employeur", "order_no": "num_commande", "sku": "reference", "ean": "code_barre",
        "amount": "montant", "amount_text": "prix", "currency": "devise", "country_code": "pays_livraison",
        "brand": "marque", "vendor": "fournisseur", "title": "libelle_produit", "digest": "empreinte",
        "uuid": "uuid_demande", "url_path": "chemin", "status": "statut", "description": "descriptif",
        "ordered_at": "commande_le", "quantity": "quantite",
    },
    "it_IT": {
        "id": "id_cliente", "given": "nome", "family": "cognome", "full_name": "nominativo", "email": "posta",
        "phone": "telefono", "phone_intl": "cellulare", "phone_num": "num_telefono", "dob": "data_nascita",
        "street": "indirizzo", "address": "recapito", "city": "citta", "postcode": "cap", "country": "paese",
        "national_id": "codice_fiscale", "iban": "iban", "bic": "bic", "card": "numero_carta",
        "card_num": "carta", "ip": "indirizzo_ip", "notes": "note", "signup": "registrato_il",
        "company": "datore_lavoro", "order_no": "numero_ordine", "sku": "codice_articolo", "ean": "ean",
        "amount": "importo", "amount_text": "prezzo", "currency": "valuta", "country_code": "paese_spedizione",
        "brand": "marca", "vendor": "fornitore", "title": "nome_prodotto", "digest": "impronta",
        "uuid": "uuid_richiesta", "url_path": "percorso", "status": "stato", "description": "descrizione",
        "ordered_at": "ordinato_il", "quantity": "quantita",
    },
    "es_ES": {
        "id": "id_cliente", "given": "nombre", "family": "apellido", "full_name": "nombre_completo",
        "email": "correo", "phone": "telefono", "phone_intl": "movil", "phone_num": "tlf", "dob": "fecha_nacimiento",
        "street": "direccion", "address": "domicilio", "city": "ciudad", "postcode": "codigo_postal",
        "country": "pais", "national_id": "dni", "iban": "cuenta_bancaria", "bic": "bic", "card": "tarjeta",
        "card_num": "num_tarjeta", "ip": "ip", "notes": "observaciones", "signup": "alta",
        "company": "empresa", "order_no": "num_pedido", "sku": "ref_articulo", "ean": "codigo_barras",
        "amount": "importe", "amount_text": "precio", "currency": "moneda", "country_code": "pais_envio",
        "brand": "marca", "vendor": "proveedor", "title": "producto", "digest": "huella",
        "uuid": "uuid_solicitud", "url_path": "ruta", "status": "estado", "description": "descripcion",
        "ordered_at": "pedido_el", "quantity": "cantidad",
    },
    "nl_NL": {
        "id": "klantnummer", "given": "voornaam", "family": "achternaam", "full_name": "naam",
        "email": "emailadres", "phone": "telefoon", "phone_intl": "mobiel", "phone_num": "telefoonnummer",
        "dob": "geboortedatum", "street": "straat", "address": "adres", "city": "woonplaats",
        "postcode": "postcode", "country": "land", "national_id": "bsn", "iban": "rekeningnummer", "bic": "bic",
        "card": "kaartnummer", "card_num": "creditcard", "ip": "ip_adres", "notes": "opmerking",
        "signup": "aangemaakt_op", "company": "werkgever", "order_no": "bestelnummer", "sku": "artikelcode",
        "ean": "streepjescode", "amount": "bedrag", "amount_text": "prijs", "currency": "valuta",
        "country_code": "leverland", "brand": "merk", "vendor": "leverancier", "title": "productnaam",
        "digest": "controlegetal", "uuid": "verzoek_uuid", "url_path": "pad", "status": "status",
        "description": "omschrijving", "ordered_at": "besteld_op", "quantity": "aantal",
    },
    "pl_PL": {
        "id": "id_klienta", "given": "imie", "family": "nazwisko", "full_name": "imie_i_nazwisko",
        "email": "adres_email", "phone": "telefon", "phone_intl": "komorka", "phone_num": "nr_telefonu",
        "dob": "data_urodzenia", "street": "ulica", "address": "adres_korespondencyjny", "city": "miejscowosc",
        "postcode": "kod_pocztowy", "country": "kraj", "national_id": "pesel", "iban": "nr_konta", "bic": "bic",
        "card": "nr_karty", "card_num": "karta", "ip": "adres_ip", "notes": "uwagi", "signup": "utworzono",
        "company": "pracodawca", "order_no": "nr_zamowienia", "sku": "kod_produktu", "ean": "kod_kreskowy",
        "amount": "kwota", "amount_text": "cena", "currency": "waluta", "country_code": "kraj_dostawy",
        "brand": "marka", "vendor": "dostawca", "title": "nazwa_produktu", "digest": "skrot",
        "uuid": "uuid_zlecenia", "url_path": "sciezka", "status": "status", "description": "opis",
        "ordered_at": "zamowiono", "quantity": "ilosc",
    },
}
NATIVE.update({
    "pt_PT": {
        "id": "id_cliente", "given": "nome_proprio", "family": "apelido", "full_name": "nome_completo",
        "email": "correio_eletronico", "phone": "telefone", "phone_intl": "telemovel", "phone_num": "num_telefone",
        "dob": "data_nascimento", "street": "morada", "address": "morada_completa", "city": "localidade",
        "postcode": "codigo_postal", "country": "pais", "national_id": "nif", "iban": "iban", "bic": "bic_swift",
        "card": "cartao", "card_num": "num_cartao", "ip": "endereco_ip", "notes": "observacoes",
        "signup": "criado_em", "company": "entidade_patronal", "order_no": "num_encomenda", "sku": "ref_artigo",
        "ean": "codigo_barras", "amount": "valor", "amount_text": "preco", "currency": "moeda",
        "country_code": "pais_envio", "brand": "marca", "vendor": "fornecedor", "title": "designacao",
        "digest": "resumo_hash", "uuid": "uuid_pedido", "url_path": "caminho", "status": "estado",
        "description": "descricao", "ordered_at": "encomendado_em", "quantity": "quantidade",
    },
    "da_DK": {
        "id": "kundenr", "given": "fornavn", "family": "efternavn", "full_name": "navn", "email": "e_mail",
        "phone": "telefon", "phone_intl": "mobil", "phone_num": "telefonnr", "dob": "foedselsdato",
        "street": "gade", "address": "adresse", "city": "by", "postcode": "postnr", "country": "land",
        "national_id": "cpr_nr", "iban": "iban", "bic": "bic", "card": "kortnummer", "card_num": "betalingskort",
        "ip": "ip_adresse", "notes": "bemaerkning", "signup": "oprettet", "company": "arbejdsgiver",
        "order_no": "ordrenr", "sku": "varenr", "ean": "stregkode", "amount": "beloeb", "amount_text": "pris",
        "currency": "valuta", "country_code": "leveringsland", "brand": "maerke", "vendor": "leverandoer",
        "title": "varenavn", "digest": "kontrolsum", "uuid": "anmodning_uuid", "url_path": "sti",
        "status": "status", "description": "beskrivelse", "ordered_at": "bestilt", "quantity": "antal",
    },
    "cs_CZ": {
        "id": "id_zakaznika", "given": "jmeno", "family": "prijmeni", "full_name": "cele_jmeno", "email": "email",
        "phone": "telefon", "phone_intl": "mobil", "phone_num": "tel_cislo", "dob": "datum_narozeni",
        "street": "ulice", "address": "adresa", "city": "obec", "postcode": "psc", "country": "zeme",
        "national_id": "rodne_cislo", "iban": "iban", "bic": "bic", "card": "cislo_karty",
        "card_num": "platebni_karta", "ip": "ip_adresa", "notes": "poznamka", "signup": "vytvoreno",
        "company": "zamestnavatel", "order_no": "cislo_objednavky", "sku": "kod_zbozi", "ean": "carovy_kod",
        "amount": "castka", "amount_text": "cena", "currency": "mena", "country_code": "zeme_doruceni",
        "brand": "znacka", "vendor": "dodavatel", "title": "nazev_zbozi", "digest": "otisk",
        "uuid": "uuid_pozadavku", "url_path": "cesta", "status": "stav", "description": "popis",
        "ordered_at": "objednano", "quantity": "mnozstvi",
    },
    "sv_SE": {
        "id": "kundnr", "given": "fornamn", "family": "efternamn", "full_name": "namn", "email": "epost",
        "phone": "telefon", "phone_intl": "mobilnummer", "phone_num": "telefonnr", "dob": "fodelsedatum",
        "street": "gatuadress", "address": "postadress", "city": "ort", "postcode": "postnummer", "country": "land",
        "national_id": "personnummer", "iban": "iban", "bic": "bic", "card": "kortnummer", "card_num": "betalkort",
        "ip": "ip_adress", "notes": "anteckning", "signup": "skapad", "company": "arbetsgivare",
        "order_no": "ordernummer", "sku": "artikelnr", "ean": "streckkod", "amount": "belopp", "amount_text": "pris",
        "currency": "valuta", "country_code": "leveransland", "brand": "varumarke", "vendor": "leverantor",
        "title": "produktnamn", "digest": "kontrollsumma", "uuid": "begaran_uuid", "url_path": "sokvag",
        "status": "status", "description": "beskrivning", "ordered_at": "bestalld", "quantity": "antal",
    },
    "de_AT": {
        "id": "kunden_id", "given": "vorname", "family": "familienname", "full_name": "kundenname",
        "email": "email_adresse", "phone": "tel", "phone_intl": "mobiltelefon", "phone_num": "rufnummer",
        "dob": "geb_datum", "street": "strasse_hausnr", "address": "postanschrift", "city": "wohnort",
        "postcode": "postleitzahl", "country": "staat", "national_id": "sv_nummer", "iban": "iban", "bic": "bic",
        "card": "karten_nr", "card_num": "kreditkartennummer", "ip": "ip", "notes": "anmerkung",
        "signup": "erstellt_am", "company": "dienstgeber", "order_no": "auftragsnummer", "sku": "artikel_nr",
        "ean": "gtin", "amount": "summe", "amount_text": "preis_eur", "currency": "waehrung",
        "country_code": "zielland", "brand": "marke", "vendor": "lieferant", "title": "bezeichnung",
        "digest": "hashwert", "uuid": "anfrage_uuid", "url_path": "url_pfad", "status": "zustand",
        "description": "langtext", "ordered_at": "bestelldatum", "quantity": "stueck",
    },
    "fi_FI": {
        "id": "asiakasnro", "given": "etunimi", "family": "sukunimi", "full_name": "nimi", "email": "sahkoposti",
        "phone": "puhelin", "phone_intl": "matkapuhelin", "phone_num": "puhelinnumero", "dob": "syntymaaika",
        "street": "katuosoite", "address": "postiosoite", "city": "kunta", "postcode": "postinumero",
        "country": "maa", "national_id": "henkilotunnus", "iban": "tilinumero", "bic": "bic",
        "card": "kortin_numero", "card_num": "maksukortti", "ip": "ip_osoite", "notes": "huomautus",
        "signup": "luotu", "company": "tyonantaja", "order_no": "tilausnumero", "sku": "tuotekoodi",
        "ean": "viivakoodi", "amount": "summa", "amount_text": "hinta", "currency": "valuutta",
        "country_code": "toimitusmaa", "brand": "tuotemerkki", "vendor": "toimittaja", "title": "tuotenimi",
        "digest": "tiiviste", "uuid": "pyynto_uuid", "url_path": "polku", "status": "tila", "description": "kuvaus",
        "ordered_at": "tilattu", "quantity": "maara",
    },
})
OPAQUE_PREFIXES = ("c", "f_", "attr_", "col")
CODED_STYLES = ("v", "fld", "x")  # the second held-out part's opaque scheme: v7, fld012, x3fa9


def column_names(locale: str, scheme: str, keys: list[str], table: str) -> dict[str, str]:
    if scheme == "english":
        return {k: ENGLISH[k] for k in keys}
    if scheme == "native":
        return {k: NATIVE[locale][k] for k in keys}
    rng = random.Random(f"{SEED}|{locale}|{table}|names")
    if scheme == "coded":
        return coded_names(rng, keys, table)
    if scheme == "serial":
        return serial_names(rng, keys, table)
    if scheme == "grid":
        return grid_names(rng, keys, table)
    if scheme == "tag":
        return tag_names(rng, keys, table)
    if scheme == "local":
        return {k: NATIVE6[locale][k] for k in keys}
    if scheme == "decoy":
        return decoy_names(rng, keys, table)
    prefix = rng.choice(OPAQUE_PREFIXES)
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)  # the column's position says nothing either
    return {k: f"{prefix}{n:02d}" for k, n in zip(keys, order, strict=True)}


def coded_names(rng: random.Random, keys: list[str], table: str) -> dict[str, str]:
    style = rng.choice(CODED_STYLES)
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)
    if style == "v":
        return {k: f"v{n}" for k, n in zip(keys, order, strict=True)}
    if style == "fld":
        return {k: f"fld{n:03d}" for k, n in zip(keys, order, strict=True)}
    names: dict[str, str] = {}
    for key in keys:  # a short digest of the table and key: unique, says nothing
        digest = hashlib.sha256(f"{table}|{key}".encode()).hexdigest()
        names[key] = next(f"x{digest[i:i + 4]}" for i in range(0, 60) if f"x{digest[i:i + 4]}" not in names.values())
    return names


# --- value helpers -----------------------------------------------------------------------------------


def luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def ean13(rng: random.Random) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(12))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def checksum_id(locale: str, rng: random.Random) -> str:
    """A national identifier with a valid checksum, for the locales whose generator has none."""
    from stdnum.es import dni, nie
    from stdnum.nl import bsn
    from stdnum.pl import pesel

    while True:
        if locale == "es_ES":
            if rng.random() < 0.8:
                number = _digits(rng, 8)
                value = number + dni.calc_check_digit(number)
            else:
                number = rng.choice("XYZ") + _digits(rng, 7)
                value = number + nie.calc_check_digit(number)
        elif locale == "nl_NL":
            number = _digits(rng, 8)
            value = number + _bsn_check(number)
        elif locale == "pl_PL":
            born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 65))
            month = born.month + (20 if born.year >= 2000 else 0)
            body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{_digits(rng, 4)}"
            value = body + pesel.calc_check_digit(body)
        elif locale == "en_GB":
            value = (
                rng.choice("ABCEGHJKLMNOPRSTWXYZ")
                + rng.choice("ABCEGHJKLMNPRSTWXYZ")
                + _digits(rng, 6)
                + rng.choice("ABCD")
            )
            if rng.random() < 0.5:
                value = f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"
        else:
            raise ValueError(locale)
        validator = {"es_ES": _es_valid, "nl_NL": bsn.is_valid, "pl_PL": pesel.is_valid, "en_GB": _nino_valid}
        if validator[locale](value):
            return value


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 65))


def checksum_id2(locale: str, rng: random.Random) -> str:
    """The national identifier of a second-held-out locale, valid by python-stdnum."""
    from stdnum.at import vnr
    from stdnum.cz import rc
    from stdnum.dk import cpr
    from stdnum.fi import hetu
    from stdnum.pt import nif
    from stdnum.se import personnummer

    while True:
        born = _birth(rng)
        if locale == "pt_PT":
            body = rng.choice("123") + _digits(rng, 7)
            value = body + nif.calc_check_digit(body)
            valid = nif.is_valid(value)
        elif locale == "da_DK":
            value = f"{born:%d%m%y}{'-' if rng.random() < 0.7 else ''}{_digits(rng, 4)}"
            valid = cpr.is_valid(value)
        elif locale == "cs_CZ":
            month = born.month + (50 if rng.random() < 0.5 else 0)
            body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{_digits(rng, 3)}"
            check = int(body) % 11 % 10
            value = f"{body[:6]}/{body[6:]}{check}" if rng.random() < 0.7 else f"{body}{check}"
            valid = rc.is_valid(value)
        elif locale == "sv_SE":
            body = f"{born:%y%m%d}{_digits(rng, 3)}"
            total = sum(int(c) for i, d in enumerate(body) for c in str(int(d) * (2 - i % 2)))
            value = f"{body[:6]}-{body[6:]}{(10 - total % 10) % 10}"
            valid = personnummer.is_valid(value)
        elif locale == "de_AT":
            body = str(rng.randint(1, 9)) + _digits(rng, 2) + "0" + f"{born:%d%m%y}"
            value = body[:3] + vnr.calc_check_digit(body) + body[4:]
            value = value if rng.random() < 0.6 else f"{value[:4]} {value[4:]}"
            valid = vnr.is_valid(value)
        elif locale == "fi_FI":
            body = f"{born:%d%m%y}"
            serial = f"{rng.randint(2, 899):03d}"
            value = f"{body}{'-' if born.year < 2000 else 'A'}{serial}{hetu._calc_checksum(body + serial)}"
            valid = hetu.is_valid(value)
        else:
            raise ValueError(locale)
        if valid:
            return value


def _bsn_check(number: str) -> str:
    total = sum(int(d) * w for d, w in zip(number, range(9, 1, -1), strict=True))
    check = total % 11
    return str(check) if check < 10 else "0"


def _nino_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    return compact[:2] not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ") and compact[-1] in "ABCD"


def _es_valid(value: str) -> bool:
    from stdnum.es import dni, nie

    return dni.is_valid(value) or nie.is_valid(value)


def de_tax_id(rng: random.Random) -> str:
    from stdnum.de import idnr
    from stdnum.iso7064 import mod_11_10

    while True:
        body = str(rng.randint(1, 9)) + _digits(rng, 9)
        value = body + mod_11_10.calc_check_digit(body)
        if idnr.is_valid(value):
            return value if rng.random() < 0.7 else f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("2221", 16), ("34", 15), ("6011", 16), ("4", 19)])
    return luhn(prefix + _digits(rng, length - len(prefix) - 1))


def grouped(value: str, sep: str = " ", size: int = 4) -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


NOTES = {
    "en": ("Customer asked about the delivery.", "Please leave the parcel with a neighbour.",
           "Invoice to be sent at the end of the month.", "Returned the item, refund pending."),
    "de": ("Kunde fragt nach dem Liefertermin.", "Paket bitte beim Nachbarn abgeben.",
           "Rechnung zum Monatsende schicken.", "Ware zurückgeschickt, Erstattung offen."),
    "fr": ("Le client demande la date de livraison.", "Merci de laisser le colis chez le voisin.",
           "Facture à envoyer en fin de mois.", "Article retourné, remboursement en attente."),
    "it": ("Il cliente chiede la data di consegna.", "Lasciare il pacco al vicino.",
           "Fattura da inviare a fine mese.", "Articolo reso, rimborso in attesa."),
    "es": ("El cliente pregunta por la entrega.", "Dejar el paquete con el vecino.",
           "Factura a fin de mes.", "Artículo devuelto, reembolso pendiente."),
    "nl": ("Klant vraagt naar de levering.", "Pakket bij de buren afgeven.",
           "Factuur aan het einde van de maand.", "Artikel teruggestuurd, terugbetaling volgt."),
    "pl": ("Klient pyta o termin dostawy.", "Proszę zostawić paczkę u sąsiada.",
           "Faktura na koniec miesiąca.", "Towar zwrócony, zwrot pieniędzy w toku."),
    "pt": ("O cliente pergunta pela entrega.", "Deixar a encomenda com o vizinho.",
           "Fatura no fim do mês.", "Artigo devolvido, reembolso pendente."),
    "da": ("Kunden spørger om leveringen.", "Pakken kan afleveres hos naboen.",
           "Faktura ved månedens udgang.", "Varen returneret, refusion afventer."),
    "cs": ("Zákazník se ptá na doručení.", "Balík nechat u souseda.",
           "Faktura na konci měsíce.", "Zboží vráceno, refundace čeká."),
    "sv": ("Kunden frågar om leveransen.", "Lämna paketet hos grannen.",
           "Faktura i slutet av månaden.", "Varan returnerad, återbetalning väntar."),
    "fi": ("Asiakas kysyy toimituksesta.", "Paketin voi jättää naapurille.",
           "Lasku kuun lopussa.", "Tuote palautettu, hyvitys odottaa."),
}
MENTIONS = {
    "en": (" Reach me at {email}.", " Call back on {phone}."),
    "de": (" Erreichbar unter {email}.", " Rückruf bitte unter {phone}."),
    "fr": (" Me joindre à {email}.", " Rappeler au {phone}."),
    "it": (" Scrivere a {email}.", " Richiamare al {phone}."),
    "es": (" Escribir a {email}.", " Llamar al {phone}."),
    "nl": (" Mail naar {email}.", " Terugbellen op {phone}."),
    "pl": (" Proszę pisać na {email}.", " Proszę oddzwonić pod {phone}."),
    "pt": (" Contactar por {email}.", " Ligar para {phone}."),
    "da": (" Skriv til {email}.", " Ring tilbage på {phone}."),
    "cs": (" Pište na {email}.", " Volejte na {phone}."),
    "sv": (" Mejla {email}.", " Ring upp på {phone}."),
    "fi": (" Sähköposti {email}.", " Soita numeroon {phone}."),
}
BRANDS = ("Bosch", "Miele", "Nike", "Adidas", "Philips", "Lego", "Ikea", "Samsung", "Sony", "Zara", "Nivea",
          "Puma", "Braun", "Siemens", "Barilla", "Lavazza", "Decathlon", "Carrefour", "Orange", "Vodafone")
STATUSES = ("new", "paid", "shipped", "delivered", "returned", "cancelled", "on_hold")
CURRENCIES = ("EUR", "USD", "GBP", "PLN", "CHF", "SEK", "DKK", "CZK")
COUNTRY_CODES = ("DE", "FR", "IT", "ES", "NL", "PL", "GB", "US", "AT", "BE", "PT", "SE")


DOB_FORMATS = {"nl": "%d-%m-%Y", "da": "%d-%m-%Y", "cs": "%d.%m.%Y", "sv": "%Y-%m-%d", "fi": "%d.%m.%Y",
               "sk": "%-d. %-m. %Y", "hu": "%Y. %m. %d.", "hr": "%d.%m.%Y.", "is": "%d.%m.%Y"}
DOB_AS_DATE = ("en", "de", "et", "vls")  # the languages whose tables store dates of birth as DATE


# --- the two generators ------------------------------------------------------------------------------


class Source:
    """One locale of one generator: the values of each semantic column."""

    def __init__(self, locale: str, seed: str) -> None:
        self.locale = locale
        self.lang = locale.split("_")[0]
        self.rng = random.Random(seed)

    def national_id(self) -> str:
        raise NotImplementedError

    def phone_national(self) -> str:
        raise NotImplementedError


def _stable_faker_lists() -> None:
    """Faker's Italian towns are a list made from a set, in an order that changes with each process's
    hash seed; sorted, the same seed draws the same towns in every run."""
    from faker.providers.address import it_IT

    it_IT.Provider.cities = sorted(it_IT.Provider.cities)


class FakerSource(Source):
    def __init__(self, locale: str, seed: str) -> None:
        super().__init__(locale, seed)
        from faker import Faker

        _stable_faker_lists()
        self.fake = Faker(locale)
        self.fake.seed_instance(int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16))

    def given(self) -> str:
        return self.fake.first_name()

    def family(self) -> str:
        return self.fake.last_name()

    def full_name(self) -> str:
        return self.fake.name()

    def email(self) -> str:
        return self.fake.email()

    def phone(self) -> str:
        return self.fake.phone_number()

    def phone_intl(self) -> str:
        return self.fake.phone_number() if self.locale != "en_US" else f"+1 {self.fake.msisdn()[3:6]} 555 {_digits(self.rng, 4)}"

    def phone_digits(self) -> int:
        code = {"en_US": "1", "de_DE": "49", "fr_FR": "33", "it_IT": "39"}[self.locale]
        # real number ranges (US exchanges 200-999, German mobile prefixes): a phone stored as a number is
        # judged by libphonenumber's validity, which the fictional 555 exchange and unused prefixes fail
        national = {"en_US": lambda: f"{self.rng.choice((212, 305, 415, 512, 617, 702, 808, 917))}"
                                     f"{self.rng.randint(200, 999)}{_digits(self.rng, 4)}",
                    "de_DE": lambda: f"{self.rng.choice(('151', '152', '157', '160', '170', '172', '176'))}"
                                     f"{_digits(self.rng, 8)}",
                    "fr_FR": lambda: f"6{_digits(self.rng, 8)}" if self.rng.random() < 0.7 else f"7{self.rng.randint(3, 8)}"
                                     f"{_digits(self.rng, 7)}",
                    "it_IT": lambda: f"3{self.rng.randint(20, 99)}{_digits(self.rng, 7)}"}[self.locale]()
        return int(code + national)

    def dob(self) -> dt.date:
        # between fixed dates, not ages counted from today: the same seed gives the same dates every day
        return self.fake.date_between_dates(date_start=dt.date(1936, 1, 1), date_end=dt.date(2007, 12, 31))

    def street(self) -> str:
        return self.fake.street_address().replace("\n", ", ")

    def address(self) -> str:
        return self.fake.address().replace("\n", ", ")

    def city(self) -> str:
        return self.fake.city()

    def postcode(self) -> str:
        return self.fake.postcode()

    def national_id(self) -> str:
        if self.locale == "de_DE":
            return de_tax_id(self.rng)
        return self.fake.ssn()

    def iban(self) -> str:
        value = self.fake.iban()
        return grouped(value) if self.rng.random() < 0.4 else value

    def bic(self) -> str:
        return self.fake.swift()

    def company(self) -> str:
        return self.fake.company()

    def sentence(self) -> str:
        return self.fake.sentence(nb_words=10)

    def product_title(self) -> str:
        return f"{self.rng.choice(BRANDS)} {self.fake.word().capitalize()} {self.rng.randint(1, 9)}00"


class MimesisSource(Source):
    LOCALES: ClassVar[dict[str, str]] = {"en_GB": "EN_GB", "es_ES": "ES", "nl_NL": "NL", "pl_PL": "PL"}
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {
        "en_GB": ("07### ######", "01632 ######", "020 #### ####"),
        "es_ES": ("6## ## ## ##", "9## ### ###", "6########"),
        "nl_NL": ("06-########", "06 ## ## ## ##", "020-#######"),
        "pl_PL": ("5## ### ###", "6## ### ###", "22 ### ## ##"),
    }

    def __init__(self, locale: str, seed: str) -> None:
        super().__init__(locale, seed)
        from mimesis import Address, Datetime, Finance, Person, Text
        from mimesis.locales import Locale

        number = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
        loc = getattr(Locale, self.LOCALES[locale])
        self.person = Person(loc, seed=number)
        self.addr = Address(loc, seed=number + 1)
        self.finance = Finance(loc, seed=number + 2)
        self.text = Text(loc, seed=number + 3)
        self.datetime = Datetime(loc, seed=number + 4)

    def given(self) -> str:
        return self.person.first_name()

    def family(self) -> str:
        return self.person.last_name()

    def full_name(self) -> str:
        return self.person.full_name()

    def email(self) -> str:
        return self.person.email()

    def phone(self) -> str:
        return self.person.telephone(mask=self.rng.choice(self.PHONE_MASKS[self.locale]))

    def phone_intl(self) -> str:
        return self.person.phone_number()

    def phone_digits(self) -> int:
        code = {"en_GB": "44", "es_ES": "34", "nl_NL": "31", "pl_PL": "48"}[self.locale]
        national = self.person.telephone(mask=self.PHONE_MASKS[self.locale][0]).lstrip("0")
        return int(code + "".join(c for c in national if c.isdigit()))

    def dob(self) -> dt.date:
        return self.datetime.date(start=1935, end=2006)

    def street(self) -> str:
        return self.addr.address()

    def address(self) -> str:
        return f"{self.addr.address()}, {self.addr.postal_code()} {self.addr.city()}"

    def city(self) -> str:
        return self.addr.city()

    def postcode(self) -> str:
        return self.addr.postal_code()

    def national_id(self) -> str:
        return checksum_id(self.locale, self.rng)

    def iban(self) -> str:
        from stdnum import iban as std_iban

        country, length = {"en_GB": ("GB", 18), "es_ES": ("ES", 20), "nl_NL": ("NL", 14), "pl_PL": ("PL", 24)}[
            self.locale
        ]
        if country in ("GB", "NL"):
            bban = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(self.rng, length - 4)
        else:
            bban = _digits(self.rng, length)
        check = std_iban.calc_check_digits(f"{country}00{bban}")
        value = f"{country}{check}{bban}"
        return grouped(value) if self.rng.random() < 0.5 else value

    def bic(self) -> str:
        country = COUNTRY[self.locale]
        bank = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(4))
        branch = "".join(self.rng.choice(string.ascii_uppercase + string.digits) for _ in range(2))
        suffix = "" if self.rng.random() < 0.6 else "".join(self.rng.choice(string.ascii_uppercase) for _ in range(3))
        return f"{bank}{country}{branch}{suffix}"

    def company(self) -> str:
        return self.finance.company()

    def sentence(self) -> str:
        return " ".join(self.text.words(quantity=10)).capitalize() + "."

    def product_title(self) -> str:
        return f"{self.rng.choice(BRANDS)} {self.text.word().capitalize()} {self.rng.randint(1, 9)}00"


class MimesisSource2(MimesisSource):
    """The second held-out part's generator: mimesis in six other locales. Phones follow each country's
    real number plan (mobile and geographic ranges), written nationally and internationally."""

    LOCALES: ClassVar[dict[str, str]] = {
        "pt_PT": "PT", "da_DK": "DA", "cs_CZ": "CS", "sv_SE": "SV", "de_AT": "DE_AT", "fi_FI": "FI",
    }
    CALLING_CODES: ClassVar[dict[str, str]] = {
        "pt_PT": "351", "da_DK": "45", "cs_CZ": "420", "sv_SE": "46", "de_AT": "43", "fi_FI": "358",
    }
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {
        "pt_PT": ("91# ### ###", "93# ### ###", "96# ### ###", "21# ### ###", "22# ### ###"),
        "da_DK": ("2# ## ## ##", "4# ## ## ##", "3# ## ## ##", "6# ## ## ##"),
        "cs_CZ": ("602 ### ###", "603 ### ###", "72# ### ###", "77# ### ###", "22# ### ###"),
        "sv_SE": ("070-### ## ##", "072-### ## ##", "073-### ## ##", "08-### ### ##"),
        "de_AT": ("0664 #######", "0660 #######", "0676 #######", "01 #######"),
        "fi_FI": ("040 ### ####", "050 ### ####", "045 ### ####", "09 ### ####"),
    }
    IBAN_DIGITS: ClassVar[dict[str, int]] = {"pt_PT": 21, "da_DK": 14, "cs_CZ": 20, "sv_SE": 20, "de_AT": 16, "fi_FI": 14}

    def _national(self) -> str:
        return self.person.telephone(mask=self.rng.choice(self.PHONE_MASKS[self.locale]))

    def phone(self) -> str:
        return self._national()

    def phone_intl(self) -> str:
        digits = "".join(c for c in self._national() if c.isdigit()).lstrip("0")
        code = self.CALLING_CODES[self.locale]
        style = self.rng.random()
        if style < 0.4:
            return f"+{code} {digits[:3]} {digits[3:6]} {digits[6:]}".rstrip()
        if style < 0.7:
            return f"+{code}{digits}"
        return f"00{code} {digits}"

    def phone_digits(self) -> int:
        digits = "".join(c for c in self._national() if c.isdigit()).lstrip("0")
        return int(self.CALLING_CODES[self.locale] + digits)

    def national_id(self) -> str:
        return checksum_id2(self.locale, self.rng)

    def iban(self) -> str:
        from stdnum import iban as std_iban

        country = COUNTRY[self.locale]
        bban = _digits(self.rng, self.IBAN_DIGITS[self.locale])
        value = f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"
        return grouped(value) if self.rng.random() < 0.5 else value


# the second held-out part's hard negatives: the same classes, other shapes
BRANDS2 = ("Nokia", "Skoda", "Husqvarna", "Electrolux", "Pandora", "Carlsberg", "Lindt", "Fiskars", "Marimekko",
           "Volvo", "Lego", "Jabra", "Vileda", "Tefal", "Rowenta", "Gorenje", "Whirlpool", "Stihl", "Makita", "Kärcher")
STATUSES2 = {
    "pt": ("novo", "pago", "enviado", "entregue", "devolvido", "cancelado"),
    "da": ("ny", "betalt", "afsendt", "leveret", "returneret", "annulleret"),
    "cs": ("nová", "zaplaceno", "odesláno", "doručeno", "vráceno", "zrušeno"),
    "sv": ("ny", "betald", "skickad", "levererad", "returnerad", "avbruten"),
    "de": ("neu", "bezahlt", "versendet", "zugestellt", "retourniert", "storniert"),
    "fi": ("uusi", "maksettu", "lähetetty", "toimitettu", "palautettu", "peruttu"),
}
MONEY_FORMATS = {"pt": "{} €", "da": "{} kr.", "cs": "{} Kč", "sv": "{} kr", "de": "€ {}", "fi": "{} €"}
CURRENCIES2 = ("EUR", "DKK", "CZK", "SEK", "NOK", "HUF", "RON", "BGN", "ISK", "CHF")
COUNTRY_CODES3 = ("PRT", "DNK", "CZE", "SWE", "AUT", "FIN", "DEU", "FRA", "NOR", "POL", "ESP", "ITA")


def ean8_or_upc(rng: random.Random) -> str:
    length = rng.choice((7, 11))  # EAN-8 or UPC-A, with its check digit
    body = "".join(rng.choice(string.digits) for _ in range(length))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def money_text(lang: str, amount: float) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    return MONEY_FORMATS[lang].format(f"{whole.replace(',', '.' if lang in ('de', 'da') else ' ')},{cents}")


# --- tables ------------------------------------------------------------------------------------------

Column = tuple[str, str, Callable[[], Any], Label]  # key, SQL type, value maker, label


def _label(*entities: str, also: tuple[str, ...] = (), hard: bool = False) -> Label:
    return Label(frozenset(entities), frozenset(also), hard)


NEG = _label()
HARD = _label(hard=True)
BANK_ACCOUNT = ("BANK_ACCOUNT", "IBAN_CODE", "US_BANK_NUMBER")  # any bank-account finding is right
NATIONAL_ACCOUNTS: set[str] = set()  # locales whose `iban` column holds a national account number


def people_columns(src: Source, row: list[int]) -> list[Column]:
    rng = src.rng
    lang = src.lang
    national = NATIONAL_ID[src.locale]

    def dob() -> Any:
        day = src.dob()
        return day if src.lang in DOB_AS_DATE else day.strftime(DOB_FORMATS.get(lang, "%d/%m/%Y"))

    def notes() -> str:
        text = rng.choice(NOTES[lang])
        if rng.random() < 0.15:
            text += rng.choice(MENTIONS[lang]).format(email=src.email(), phone=src.phone())
        return text

    def signup() -> dt.datetime:
        return dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rng.randint(0, 86400 * 700))

    def next_id() -> int:
        row[0] += 1
        return 100000 + row[0]

    return [
        ("id", "bigint", next_id, NEG),
        ("given", "varchar", src.given, _label("PERSON")),
        ("family", "varchar", src.family, _label("PERSON")),
        ("full_name", "varchar", src.full_name, _label("PERSON")),
        ("email", "varchar", src.email, _label("EMAIL_ADDRESS")),
        ("phone", "varchar", src.phone, _label("PHONE_NUMBER")),
        ("phone_intl", "varchar", src.phone_intl, _label("PHONE_NUMBER")),
        ("phone_num", "bigint", src.phone_digits, _label("PHONE_NUMBER")),
        ("dob", "date" if lang in DOB_AS_DATE else "varchar", dob, _label("DATE_OF_BIRTH")),
        ("street", "varchar", src.street, _label("STREET_ADDRESS", also=("LOCATION", "POSTAL_CODE"))),
        ("address", "varchar", src.address, _label("STREET_ADDRESS", also=("LOCATION", "POSTAL_CODE"))),
        ("city", "varchar", src.city, _label("LOCATION")),
        ("postcode", "varchar", src.postcode, _label("POSTAL_CODE")),
        ("country", "varchar", lambda: COUNTRY[src.locale] if rng.random() < 0.9 else rng.choice(COUNTRY_CODES), NEG),
        ("national_id", "varchar", src.national_id, _label(national)),
        ("iban", "varchar", src.iban,
         _label(*BANK_ACCOUNT) if src.locale in NATIONAL_ACCOUNTS else _label("IBAN_CODE")),
        ("bic", "varchar", src.bic, _label("SWIFT_CODE")),
        ("card", "varchar", lambda: grouped(card(rng)) if rng.random() < 0.3 else card(rng), _label("CREDIT_CARD")),
        ("card_num", "bigint", lambda: int(card(rng)), _label("CREDIT_CARD")),
        ("ip", "varchar", lambda: f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
         f"{rng.randint(1, 254)}", _label("IP_ADDRESS")),
        ("notes", "varchar", notes, _label("EMAIL_ADDRESS", "PHONE_NUMBER", also=("PERSON", "LOCATION"))),
        ("signup", "timestamp", signup, NEG),
        ("company", "varchar", src.company, HARD),
    ]


def shop_columns(src: Source, row: list[int]) -> list[Column]:
    rng = src.rng

    def next_order() -> str:
        row[0] += 1
        return f"{rng.randint(10, 99)}{row[0]:08d}"

    return [
        ("order_no", "varchar", next_order, HARD),
        ("sku", "varchar", lambda: f"{rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}-"
         f"{rng.randint(1000, 99999)}-{rng.choice(['S', 'M', 'L', 'XL'])}", HARD),
        ("ean", "varchar", lambda: ean13(rng), HARD),
        ("amount", "decimal(12,2)", lambda: round(rng.uniform(1, 2000), 2), HARD),
        ("amount_text", "varchar", lambda: f"{rng.randint(1, 999)},{rng.randint(0, 99):02d}", HARD),
        ("currency", "varchar", lambda: rng.choice(CURRENCIES), HARD),
        ("country_code", "varchar", lambda: rng.choice(COUNTRY_CODES), HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS), HARD),
        ("vendor", "varchar", src.company, HARD),
        ("title", "varchar", src.product_title, HARD),
        ("digest", "varchar", lambda: hashlib.sha256(str(rng.random()).encode()).hexdigest(), HARD),
        ("uuid", "varchar", lambda: "%08x-%04x-4%03x-%04x-%012x" % (  # noqa: UP031
            rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(16) | 0x8000,
            rng.getrandbits(48)), HARD),
        ("url_path", "varchar", lambda: f"/{rng.choice(['shop', 'p', 'catalog', 'api/v2/items'])}/"
         f"{rng.randint(100, 99999)}/{rng.choice(['details', 'reviews', 'buy', 'share'])}", HARD),
        ("status", "varchar", lambda: rng.choice(STATUSES), HARD),
        ("description", "varchar", src.sentence, HARD),
        ("ordered_at", "timestamp", lambda: dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rng.randint(0, 86400 * 700)),
         HARD),
        ("quantity", "integer", lambda: rng.randint(1, 20), HARD),
    ]


def shop_columns2(src: Source, row: list[int]) -> list[Column]:
    """The second held-out part's hard negatives: the classes of `shop_columns`, in other shapes."""
    rng = src.rng
    lang = src.lang

    def next_order() -> str:
        row[0] += 1
        return f"{rng.choice(('ORD', 'PO', 'BST', 'INV'))}-{rng.choice((2024, 2025))}-{row[0]:06d}"

    def title() -> str:
        word = src.text.word().capitalize()  # type: ignore[attr-defined]
        return f"{rng.choice(BRANDS2)} {word} {rng.choice(string.ascii_uppercase)}{rng.randint(10, 990)}"

    def url_path() -> str:
        slug = "-".join(src.text.words(quantity=rng.randint(1, 3))).lower()  # type: ignore[attr-defined]
        return f"/{lang}/{rng.choice(('produkt', 'p', 'item', 'c'))}/{slug}-{rng.randint(1000, 999999)}.html"

    return [
        ("order_no", "varchar", next_order, HARD),
        ("sku", "varchar", lambda: f"{rng.randint(100, 999)}-{''.join(rng.choices(string.ascii_uppercase, k=3))}-"
         f"{rng.randint(10, 99)}", HARD),
        ("ean", "varchar", lambda: ean8_or_upc(rng), HARD),
        ("amount", "decimal(12,2)", lambda: round(rng.uniform(0.5, 5000), 2), HARD),
        ("amount_text", "varchar", lambda: money_text(lang, round(rng.uniform(0.5, 5000), 2)), HARD),
        ("currency", "varchar", lambda: rng.choice(CURRENCIES2), HARD),
        ("country_code", "varchar", lambda: rng.choice(COUNTRY_CODES3), HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS2), HARD),
        ("vendor", "varchar", src.company, HARD),
        ("title", "varchar", title, HARD),
        ("digest", "varchar", lambda: hashlib.new(rng.choice(("md5", "sha1")), str(rng.random()).encode()).hexdigest(),
         HARD),
        ("uuid", "varchar", lambda: ("%08x-%04x-4%03x-%04x-%012x" % (  # noqa: UP031
            rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(16) | 0x8000,
            rng.getrandbits(48))).upper(), HARD),
        ("url_path", "varchar", url_path, HARD),
        ("status", "varchar", lambda: rng.choice(STATUSES2[lang]), HARD),
        ("description", "varchar", src.sentence, HARD),
        ("ordered_at", "varchar", lambda: (dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rng.randint(0, 86400 * 700)))
         .strftime("%Y-%m-%dT%H:%M:%SZ"), HARD),
        ("quantity", "integer", lambda: rng.randint(1, 50), HARD),
    ]


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, tuple[str, list]]) -> None:
    select = ", ".join(f'unnest(${i + 1})::{sqltype} as "{col}"' for i, (col, (sqltype, _)) in enumerate(columns.items()))
    con.execute(f"create or replace table {name} as select {select}", [values for _, values in columns.values()])


def source_for(schema: str, locale: str, seed: str) -> Source:
    if schema == "corpus_train":
        return FakerSource(locale, seed)
    if schema == "corpus_heldout3":
        return MimesisSource3(locale, seed)
    if schema == "corpus_heldout4":
        return MimesisSource4(locale, seed)
    if schema == "corpus_heldout5":
        return MimesisSource5(locale, seed)
    if schema == "corpus_heldout6":
        return Source6(locale, seed)
    return MimesisSource2(locale, seed) if schema == "corpus_heldout2" else MimesisSource(locale, seed)


def table_maker(schema: str, kind: str) -> Callable[[Source, list[int]], list[Column]]:
    if kind == "people":
        return people_columns
    if kind == "stock":
        return stock_columns
    if kind == "catalog":
        return catalog_columns
    if kind == "ledger":
        return ledger_columns
    if kind == "invoice":
        return invoice_columns
    return shop_columns2 if schema == "corpus_heldout2" else shop_columns


def build(con: duckdb.DuckDBPyConnection, rows: int, seed: int = SEED) -> None:
    """Write both parts with `rows` rows per table and fill `LABELS`."""
    LABELS.clear()
    for schema, (locales, schemes) in PARTS.items():
        con.execute(f"create schema if not exists {schema}")
        for locale in locales:
            for scheme in schemes:
                for kind in TABLE_KINDS.get(schema, ("people", "shop")):
                    table = f"{kind}_{locale.lower()}_{scheme}"
                    src = source_for(schema, locale, f"{seed}|{schema}|{table}")
                    columns = table_maker(schema, kind)(src, [0])
                    names = column_names(locale, scheme, [c[0] for c in columns], table)
                    data: dict[str, tuple[str, list]] = {}
                    for key, sqltype, maker, label in columns:
                        data[names[key]] = (sqltype, [maker() for _ in range(rows)])
                        LABELS[f"{schema}.{table}.{names[key]}"] = label
                    _create(con, f"{schema}.{table}", data)


def labels_only(seed: int = SEED) -> dict[str, Label]:
    """The labels without generating values (the column names and labels do not depend on the rows)."""
    build(duckdb.connect(":memory:"), 1, seed)
    return dict(LABELS)


# --- scoring -----------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    columns: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn, self.columns = (
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.columns + other.columns)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    columns: dict[str, Counts] = field(default_factory=dict)  # part -> personal-or-not, column level
    entities: dict[str, Counts] = field(default_factory=dict)  # part -> (column, entity) pairs
    by_locale: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (part, locale) -> column level
    by_scheme: dict[tuple[str, str], Counts] = field(default_factory=dict)
    by_entity: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (part, entity) -> pairs
    hard_negatives: dict[str, tuple[int, int]] = field(default_factory=dict)  # part -> (flagged, total)
    misses: list[str] = field(default_factory=list)


def _locale_scheme(table: str) -> tuple[str, str]:
    _, lang, country, scheme = table.split("_")
    return f"{lang}_{country.upper()}", scheme


def score(predicted: dict[str, set[str]], labels: dict[str, Label] | None = None) -> Score:
    """Column-level scores. A personal column counts as found when at least one of its entities is
    predicted; an entity predicted on a column whose label neither requires nor tolerates it is a false
    positive of that entity. `predicted` maps schema.table.column to the predicted entities."""
    labels = labels if labels is not None else LABELS
    out = Score()
    for key, label in sorted(labels.items()):
        part, table, _column = key.split(".")
        locale, scheme = _locale_scheme(table)
        got = predicted.get(key, set())
        if GENERIC_NATIONAL_ID in got and label.entities & set(NATIONAL_ID.values()):
            got = (got - {GENERIC_NATIONAL_ID}) | (label.entities & set(NATIONAL_ID.values()))
        accounts = set(BANK_ACCOUNT)
        if label.entities >= accounts and got & accounts:  # alternatives: the one found is the right one
            label = Label(frozenset((label.entities - accounts) | (got & accounts)), label.also | accounts,
                          label.hard_negative)
        column = Counts(columns=1)
        if label.personal:
            if got & label.entities:
                column.tp = 1
            else:
                column.fn = 1
        elif got:
            column.fp = 1
        for bucket, index in ((out.columns, part), (out.by_locale, (part, locale)), (out.by_scheme, (part, scheme))):
            bucket.setdefault(index, Counts()).add(column)  # type: ignore[attr-defined]
        pairs = Counts(columns=1)
        for entity in label.entities | got:
            cell = Counts()
            if entity in label.entities:
                if entity in got:
                    cell.tp = 1
                else:
                    cell.fn = 1
            elif entity not in label.also:
                cell.fp = 1
            pairs.add(cell)
            out.by_entity.setdefault((part, entity), Counts()).add(cell)
        out.entities.setdefault(part, Counts()).add(pairs)
        if label.hard_negative:
            flagged, total = out.hard_negatives.get(part, (0, 0))
            out.hard_negatives[part] = (flagged + bool(got), total + 1)
        if (label.entities - got) or (got - label.entities - label.also):
            out.misses.append(f"{key}: expected {sorted(label.entities) or '-'} got {sorted(got) or '-'}")
    return out


# --- the third held-out part -------------------------------------------------------------------------
# mimesis in Slovak, Hungarian, Croatian, Estonian, Icelandic and Flemish (nl_BE); column names in each
# language and in a third opaque scheme; per locale a people table (as the other parts, with notes in the
# language) and a `stock` table of hard negatives of shapes no other part has: ISBNs, device model codes,
# parcel tracking numbers, companies' VAT numbers, IBAN-shaped internal account codes that fail the
# IBAN check, lot numbers, chemical formulas, software versions, machines' hardware addresses,
# warehouse codes, ICD-shaped category codes, customs tariff codes, SSCC pallet codes, companies' legal
# names (some after their founder), brands (some eponymous), reviews and product descriptions in the
# language that mention towns and brands, best-before dates, weights, dimensions, opening hours, tax
# rates and cost centres.

NATIVE.update({
    "sk_SK": {
        "id": "cislo_zakaznika", "given": "krstne_meno", "family": "priezvisko", "full_name": "meno_a_priezvisko",
        "email": "emailova_adresa", "phone": "telefonne_cislo", "phone_intl": "mobil", "phone_num": "tel_c",
        "dob": "datum_narodenia", "street": "ulica_a_cislo", "address": "adresa_trvaleho_pobytu", "city": "mesto",
        "postcode": "psc", "country": "stat", "national_id": "rodne_cislo", "iban": "iban", "bic": "bic",
        "card": "cislo_karty", "card_num": "platobna_karta", "ip": "ip_adresa", "notes": "poznamky",
        "signup": "datum_registracie", "company": "zamestnavatel",
        "isbn": "isbn", "model": "model_zariadenia", "tracking": "cislo_zasielky", "vat": "ic_dph",
        "account": "interny_ucet", "lot": "cislo_sarze", "formula": "chemicky_vzorec", "version": "verzia",
        "machine": "id_stroja", "warehouse": "kod_skladu", "category": "kategoria", "hs_code": "colny_kod",
        "sscc": "sscc", "legal_name": "obchodne_meno", "brand": "znacka", "review": "recenzia",
        "description": "popis_produktu", "expiry": "datum_spotreby", "weight": "hmotnost", "dimensions": "rozmery",
        "hours": "otvaracie_hodiny", "tax_rate": "sadzba_dph", "cost_center": "nakladove_stredisko",
    },
    "hu_HU": {
        "id": "ugyfel_azonosito", "given": "keresztnev", "family": "vezeteknev", "full_name": "teljes_nev",
        "email": "email_cim", "phone": "telefonszam", "phone_intl": "mobilszam", "phone_num": "telefon",
        "dob": "szuletesi_datum", "street": "utca_hazszam", "address": "lakcim", "city": "telepules",
        "postcode": "iranyitoszam", "country": "orszag", "national_id": "adoazonosito_jel", "iban": "bankszamlaszam",
        "bic": "bic_kod", "card": "kartyaszam", "card_num": "bankkartya", "ip": "ip_cim", "notes": "megjegyzes",
        "signup": "regisztracio_ideje", "company": "munkaltato",
        "isbn": "isbn", "model": "tipus", "tracking": "kuldemeny_azonosito", "vat": "adoszam",
        "account": "belso_szamla", "lot": "gyartasi_tetel", "formula": "keplet", "version": "verzioszam",
        "machine": "gep_azonosito", "warehouse": "raktarkod", "category": "kategoria", "hs_code": "vamtarifaszam",
        "sscc": "sscc", "legal_name": "cegnev", "brand": "marka", "review": "ertekeles",
        "description": "termekleiras", "expiry": "lejarati_datum", "weight": "tomeg", "dimensions": "meretek",
        "hours": "nyitvatartas", "tax_rate": "afa_kulcs", "cost_center": "koltseghely",
    },
    "hr_HR": {
        "id": "sifra_kupca", "given": "ime", "family": "prezime", "full_name": "ime_i_prezime", "email": "e_posta",
        "phone": "telefon", "phone_intl": "mobitel", "phone_num": "broj_telefona", "dob": "datum_rodenja",
        "street": "ulica", "address": "adresa_stanovanja", "city": "grad", "postcode": "postanski_broj",
        "country": "drzava", "national_id": "oib", "iban": "iban", "bic": "swift_bic", "card": "broj_kartice",
        "card_num": "kartica", "ip": "ip_adresa", "notes": "napomena", "signup": "datum_upisa",
        "company": "poslodavac",
        "isbn": "isbn", "model": "model_uredaja", "tracking": "broj_posiljke", "vat": "pdv_id",
        "account": "interni_konto", "lot": "serija", "formula": "kemijska_formula", "version": "inacica",
        "machine": "id_stroja", "warehouse": "sifra_skladista", "category": "kategorija",
        "hs_code": "carinska_tarifa", "sscc": "sscc", "legal_name": "naziv_tvrtke", "brand": "marka",
        "review": "recenzija", "description": "opis_proizvoda", "expiry": "rok_trajanja", "weight": "masa",
        "dimensions": "dimenzije", "hours": "radno_vrijeme", "tax_rate": "stopa_pdv", "cost_center": "mjesto_troska",
    },
    "et_EE": {
        "id": "kliendi_nr", "given": "eesnimi", "family": "perekonnanimi", "full_name": "taisnimi", "email": "e_post",
        "phone": "telefon", "phone_intl": "mobiiltelefon", "phone_num": "telefoninumber", "dob": "synniaeg",
        "street": "tanav_maja", "address": "postiaadress", "city": "linn", "postcode": "sihtnumber",
        "country": "riik", "national_id": "isikukood", "iban": "pangakonto", "bic": "bic", "card": "kaardi_number",
        "card_num": "pangakaart", "ip": "ip_aadress", "notes": "markused", "signup": "loodud",
        "company": "tooandja",
        "isbn": "isbn", "model": "mudel", "tracking": "saadetise_nr", "vat": "kmkr_nr", "account": "sisekonto",
        "lot": "partii_nr", "formula": "keemiline_valem", "version": "versioon", "machine": "masina_id",
        "warehouse": "lao_kood", "category": "kategooria", "hs_code": "tollikood", "sscc": "sscc",
        "legal_name": "arinimi", "brand": "kaubamark", "review": "arvustus", "description": "tootekirjeldus",
        "expiry": "parim_enne", "weight": "kaal", "dimensions": "mootmed", "hours": "lahtiolekuajad",
        "tax_rate": "km_maar", "cost_center": "kulukoht",
    },
    "is_IS": {
        "id": "vidskiptavinur_nr", "given": "fornafn", "family": "kenninafn", "full_name": "fullt_nafn",
        "email": "netfang", "phone": "simi", "phone_intl": "farsimi", "phone_num": "simanumer",
        "dob": "faedingardagur", "street": "heimilisfang", "address": "postfang", "city": "stadur",
        "postcode": "postnumer", "country": "land", "national_id": "kennitala", "iban": "reikningsnumer",
        "bic": "bic", "card": "kortanumer", "card_num": "greidslukort", "ip": "ip_tala", "notes": "athugasemdir",
        "signup": "stofnad", "company": "vinnuveitandi",
        "isbn": "isbn", "model": "gerd", "tracking": "sendingarnumer", "vat": "vsk_numer",
        "account": "innri_reikningur", "lot": "lotunumer", "formula": "efnaformula", "version": "utgafa",
        "machine": "vel_audkenni", "warehouse": "lagerkodi", "category": "flokkur", "hs_code": "tollskrarnumer",
        "sscc": "sscc", "legal_name": "heiti_fyrirtaekis", "brand": "vorumerki", "review": "umsogn",
        "description": "voruloysing", "expiry": "best_fyrir", "weight": "thyngd", "dimensions": "staerd",
        "hours": "opnunartimi", "tax_rate": "vsk_hlutfall", "cost_center": "kostnadarstadur",
    },
    "nl_BE": {
        "id": "klant_id", "given": "voornaam", "family": "familienaam", "full_name": "volledige_naam",
        "email": "mailadres", "phone": "telefoonnr", "phone_intl": "gsm", "phone_num": "vaste_lijn",
        "dob": "geboortedatum", "street": "straat_en_nummer", "address": "woonadres", "city": "gemeente",
        "postcode": "postcode", "country": "land", "national_id": "rijksregisternummer", "iban": "rekeningnr",
        "bic": "bic", "card": "kaartnr", "card_num": "bankkaart", "ip": "ip_adres", "notes": "opmerkingen",
        "signup": "aangemaakt", "company": "werkgever",
        "isbn": "isbn", "model": "toesteltype", "tracking": "zendingsnummer", "vat": "btw_nummer",
        "account": "interne_rekening", "lot": "lotnummer", "formula": "brutoformule", "version": "versie",
        "machine": "machine_id", "warehouse": "magazijncode", "category": "categorie", "hs_code": "gn_code",
        "sscc": "sscc", "legal_name": "firmanaam", "brand": "merk", "review": "recensie",
        "description": "productomschrijving", "expiry": "houdbaarheidsdatum", "weight": "gewicht",
        "dimensions": "afmetingen", "hours": "openingsuren", "tax_rate": "btw_tarief", "cost_center": "kostenplaats",
    },
})
SERIAL_STYLES = ("k", "n", "zz")  # the third held-out part's opaque scheme: k3_07, n0012, zz1f


def serial_names(rng: random.Random, keys: list[str], table: str) -> dict[str, str]:
    style = rng.choice(SERIAL_STYLES)
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)
    if style == "k":  # a group digit and a position, as exported by a form builder
        return {k: f"k{rng.randint(1, 9)}_{n:02d}" for k, n in zip(keys, order, strict=True)}
    if style == "n":
        return {k: f"n{n:04d}" for k, n in zip(keys, order, strict=True)}
    return {k: f"zz{n + 16:x}" for k, n in zip(keys, order, strict=True)}


NOTES.update({
    "sk": ("Zákazník sa pýta na termín doručenia.", "Balík prosím nechať u suseda.",
           "Faktúru poslať na konci mesiaca.", "Tovar vrátený, refundácia prebieha."),
    "hu": ("Az ügyfél a szállítás időpontjáról érdeklődik.", "A csomagot a szomszédnál lehet hagyni.",
           "A számlát a hónap végén kérik.", "Az árut visszaküldte, a visszatérítés folyamatban."),
    "hr": ("Kupac pita za rok isporuke.", "Paket ostaviti kod susjeda.",
           "Račun poslati krajem mjeseca.", "Roba vraćena, povrat novca u tijeku."),
    "et": ("Klient küsib tarneaja kohta.", "Paki võib jätta naabri juurde.",
           "Arve saata kuu lõpus.", "Kaup tagastatud, raha tagastamine ootel."),
    "is": ("Viðskiptavinur spyr um afhendingu.", "Skilja má pakkann eftir hjá nágranna.",
           "Reikningur sendur í lok mánaðar.", "Vöru skilað, endurgreiðsla í vinnslu."),
    "vls": ("Klant vraagt wanneer het pakje geleverd wordt.", "Pakje mag bij de geburen afgegeven worden.",
            "Factuur op het einde van de maand.", "Artikel teruggestuurd, terugbetaling volgt."),
})
MENTIONS.update({
    "sk": (" Kontakt: {email}.", " Prosím zavolať na {phone}."),
    "hu": (" Elérhetőség: {email}.", " Visszahívás a {phone} számon."),
    "hr": (" Kontakt: {email}.", " Nazvati na {phone}."),
    "et": (" Kontakt: {email}.", " Helistada numbril {phone}."),
    "is": (" Netfang: {email}.", " Hringja í {phone}."),
    "vls": (" Contact via {email}.", " Terugbellen op {phone}."),
})
LEGAL_FORMS = {
    "sk": ("s.r.o.", "a.s.", "k.s.", "v.o.s."), "hu": ("Kft.", "Zrt.", "Nyrt.", "Bt."),
    "hr": ("d.o.o.", "d.d.", "j.d.o.o."), "et": ("OÜ", "AS", "MTÜ"), "is": ("ehf.", "hf.", "slf."),
    "vls": ("BV", "NV", "CommV", "VZW"),
}
FOUNDER_FIRMS = {  # companies named after a founder: a family name and a word of the trade
    "sk": ("a syn", "Stavby", "Trade", "Group"), "hu": ("és Társa", "Építő", "Kereskedelmi", "Holding"),
    "hr": ("i sinovi", "Gradnja", "Trgovina", "Grupa"), "et": ("ja Pojad", "Ehitus", "Kaubandus", "Grupp"),
    "is": ("og synir", "Byggingar", "Heildverslun", "Group"), "vls": ("& Zonen", "Bouw", "Handel", "Groep"),
}
PRODUCTS = {
    "sk": ("mixér", "vysávač", "kávovar", "rýchlovarná kanvica", "žehlička", "fén", "toaster", "chladnička"),
    "hu": ("turmixgép", "porszívó", "kávéfőző", "vízforraló", "vasaló", "hajszárító", "kenyérpirító", "hűtő"),
    "hr": ("mikser", "usisavač", "aparat za kavu", "kuhalo za vodu", "glačalo", "sušilo za kosu", "toster",
           "hladnjak"),
    "et": ("saumikser", "tolmuimeja", "kohvimasin", "veekeetja", "triikraud", "föön", "röster", "külmik"),
    "is": ("blandari", "ryksuga", "kaffivél", "hraðsuðuketill", "straujárn", "hárblásari", "brauðrist",
           "ísskápur"),
    "vls": ("blender", "stofzuiger", "koffiezet", "waterkoker", "strijkijzer", "haardroger", "broodrooster",
            "koelkast"),
}
REVIEWS = {
    "sk": ("{product} od {brand} funguje výborne, doručenie do {city} trvalo {n} dni.",
           "Kúpené v predajni v {city}, {brand} ako vždy spoľahlivý.",
           "Balík prišiel poškodený, ale predajňa v {city} ho hneď vymenila. {brand} odporúčam.",
           "Za túto cenu slabší {product}, čakal som od {brand} viac.",
           "Hlučný, ale spoľahlivý. Hodnotenie {n}/5."),
    "hu": ("A {brand} {product} kiválóan működik, a szállítás {city} városába {n} napig tartott.",
           "{city} üzletében vettem, a {brand} most is megbízható.",
           "Sérülten érkezett, de a {city} bolt azonnal cserélte. A {brand} ajánlott.",
           "Ennyi pénzért gyenge {product}, többet vártam a {brand} cégtől.",
           "Hangos, de megbízható. Értékelés: {n}/5."),
    "hr": ("{product} marke {brand} radi odlično, dostava u {city} trajala je {n} dana.",
           "Kupljeno u trgovini u {city}, {brand} kao i uvijek pouzdan.",
           "Paket je stigao oštećen, ali trgovina u {city} odmah ga je zamijenila. Preporučujem {brand}.",
           "Za tu cijenu slab {product}, od {brand} sam očekivao više.",
           "Bučan, ali pouzdan. Ocjena {n}/5."),
    "et": ("{brand} {product} töötab suurepäraselt, tarne {city} linna võttis {n} päeva.",
           "Ostetud {city} kauplusest, {brand} on alati usaldusväärne.",
           "Pakk saabus katkisena, aga {city} pood vahetas kohe. Soovitan {brand}.",
           "Selle hinna eest nõrk {product}, ootasin {brand} käest rohkem.",
           "Lärmakas, aga töökindel. Hinne {n}/5."),
    "is": ("{product} frá {brand} virkar frábærlega, afhending til {city} tók {n} daga.",
           "Keypt í verslun á {city}, {brand} alltaf áreiðanlegt.",
           "Pakkinn kom skemmdur en verslunin á {city} skipti strax. Mæli með {brand}.",
           "Slakur {product} fyrir þetta verð, bjóst við meiru frá {brand}.",
           "Hávær en áreiðanleg. Einkunn {n}/5."),
    "vls": ("De {product} van {brand} werkt uitstekend, levering naar {city} duurde {n} dagen.",
            "Gekocht in de winkel in {city}, {brand} zoals altijd betrouwbaar.",
            "Pakje kwam beschadigd toe, maar de winkel in {city} heeft het direct omgeruild. Aanrader, {brand}.",
            "Voor die prijs een zwakke {product}, ik verwachtte meer van {brand}.",
            "Luid maar degelijk. Score {n}/5."),
}
DESCRIPTIONS = {
    "sk": ("{product} {brand} {model}, príkon {watts} W, vyrobené v meste {city}.",
           "{brand} {model}: {product} s nerezovým telom, záruka {n} roky, servis v {city}."),
    "hu": ("{brand} {model} {product}, teljesítmény {watts} W, gyártás helye: {city}.",
           "{brand} {model}: rozsdamentes {product}, {n} év garancia, szerviz {city} városában."),
    "hr": ("{product} {brand} {model}, snaga {watts} W, proizvedeno u {city}.",
           "{brand} {model}: {product} od nehrđajućeg čelika, jamstvo {n} godine, servis u {city}."),
    "et": ("{brand} {model} {product}, võimsus {watts} W, valmistatud: {city}.",
           "{brand} {model}: roostevaba {product}, garantii {n} aastat, hooldus {city} linnas."),
    "is": ("{product} {brand} {model}, afl {watts} W, framleitt á {city}.",
           "{brand} {model}: {product} úr ryðfríu stáli, {n} ára ábyrgð, þjónusta á {city}."),
    "vls": ("{product} {brand} {model}, vermogen {watts} W, gemaakt in {city}.",
            "{brand} {model}: {product} in roestvrij staal, {n} jaar garantie, service in {city}."),
}
OPENING_HOURS = {
    "sk": ("Po–Pi 8:00–17:00", "Po–Pi 9:00–18:00, So 9:00–12:00", "Ut–So 10:00–19:00"),
    "hu": ("H–P 8:00–17:00", "H–P 9:00–18:00, Szo 9:00–13:00", "K–Szo 10:00–19:00"),
    "hr": ("Pon–Pet 8–16 h", "Pon–Pet 8–20 h, Sub 8–14 h", "Uto–Sub 9–19 h"),
    "et": ("E–R 9.00–18.00", "E–R 10.00–19.00, L 10.00–16.00", "T–L 11.00–19.00"),
    "is": ("Mán–fös 9–17", "Mán–fös 10–18, lau 11–16", "Þri–lau 11–18"),
    "vls": ("ma–vr 9u–18u", "ma–za 9u30–18u, zo gesloten", "di–za 10u–18u30"),
}
BRANDS3 = ("Zwack", "Herend", "Zsolnay", "Podravka", "Kraš", "Rimac", "Kalev", "Saku", "Marel", "Össur",
           "Barco", "Bekaert", "Neuhaus", "Côte d'Or", "Brabantia", "Gorenje", "Tatra", "Slovnaft", "Hugo Boss",
           "Tommy Hilfiger", "Karl Lagerfeld", "Dr. Oetker", "Bosch", "De'Longhi")
FORMULAS = ("C6H12O6", "NaCl", "H2SO4", "CaCO3", "C2H5OH", "KMnO4", "NaHCO3", "C8H10N4O2", "CH3COOH", "Fe2O3",
            "Al2(SO4)3", "C12H22O11", "NH4NO3", "MgSO4·7H2O", "CuSO4·5H2O", "NaOH", "HNO3", "C3H8O3", "KCl",
            "Na2CO3", "C9H8O4", "H2O2", "CO2", "SiO2", "TiO2", "ZnO", "C2H4O2", "NaClO", "K2Cr2O7", "C7H6O3")
MACHINE_OUIS = ("00:1B:1B", "00:0E:8C", "00:30:DE", "00:80:F4", "00:01:05", "28:63:36")  # industrial vendors
VAT_COUNTRIES = ("SK", "HU", "EE", "BE", "AT", "DE", "CZ", "HR", "NL")
S10_SERVICES = ("RR", "RA", "CP", "EE", "LX", "UA", "CX")


def _gs1_check(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def isbn13(rng: random.Random) -> str:
    group = rng.choice(("80", "963", "953", "9949", "9979", "90"))  # SK/CZ, HU, HR, EE, IS, NL/BE groups
    body = "978" + group + _digits(rng, 9 - len(group))
    value = body + _gs1_check(body)
    if rng.random() < 0.5:
        return value
    cut = 3 + len(group)
    return f"{value[:3]}-{value[3:cut]}-{value[cut:cut + 4]}-{value[cut + 4:12]}-{value[12]}"


def s10_tracking(rng: random.Random, country: str) -> str:
    """A UPU S10 postal item identifier: service, eight digits, the mod-11 check digit, the country."""
    serial = _digits(rng, 8)
    check = 11 - sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{rng.choice(S10_SERVICES)}{serial}{check}{country}"


def company_vat(rng: random.Random) -> str:
    """A company's EU VAT number, valid by python-stdnum, with its country prefix."""
    from stdnum.eu import vat

    while True:
        country = rng.choice(VAT_COUNTRIES)
        if country == "AT":
            body = "U" + _digits(rng, 7)
            value = "ATU" + body[1:] + str(next(d for d in range(10) if vat.is_valid(f"AT{body}{d}")))
        elif country == "BE":
            body = rng.choice("01") + str(rng.randint(2, 9)) + _digits(rng, 5)  # enterprise number, mod 97
            value = f"BE{body}{97 - int(body) % 97:02d}"
        elif country == "NL":
            body = _digits(rng, 9)
            value = f"NL{body}B{rng.randint(1, 19):02d}"
        elif country == "CZ":
            value = "CZ" + _digits(rng, 8)  # a legal person's IČO, eight digits
        else:
            length = {"SK": 10, "HU": 8, "EE": 9, "DE": 9, "HR": 11}[country]
            value = country + _digits(rng, length)
        if vat.is_valid(value):
            return value if rng.random() < 0.8 else f"{value[:2]} {value[2:]}"


def internal_account(rng: random.Random, country: str) -> str:
    """An internal ledger account code written like an IBAN (country letters, two digits, a number)
    whose check digits do not validate: the kind of value a finance system exports, not a bank account."""
    from stdnum import iban as std_iban

    while True:
        value = f"{country}{_digits(rng, 2)}{rng.choice(('4010', '5020', '6110', '3120'))}{_digits(rng, 12)}"
        if not std_iban.is_valid(value):
            return grouped(value) if rng.random() < 0.5 else value


def hu_tax_id(rng: random.Random) -> str:
    """The Hungarian tax identification number of a person: 8, the days from 1867-01-01 to the birth,
    a serial, and the check digit (the weighted sum mod 11, never 10)."""
    while True:
        days = (_birth(rng) - dt.date(1867, 1, 1)).days
        body = f"8{days:05d}{_digits(rng, 3)}"
        check = sum(int(d) * (i + 1) for i, d in enumerate(body)) % 11
        if check < 10:
            return body + str(check)


def checksum_id3(locale: str, rng: random.Random) -> str:
    """The national identifier of a third-held-out locale, valid by python-stdnum (Hungary: own check)."""
    from stdnum.be import nn
    from stdnum.ee import ik
    from stdnum.hr import oib
    from stdnum.is_ import kennitala
    from stdnum.iso7064 import mod_11_10
    from stdnum.sk import rc

    while True:
        born = _birth(rng)
        if locale == "hu_HU":
            return hu_tax_id(rng)
        if locale == "sk_SK":
            month = born.month + (50 if rng.random() < 0.5 else 0)
            body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{_digits(rng, 3)}"
            value = f"{body}{int(body) % 11 % 10}"
            value = f"{value[:6]}/{value[6:]}" if rng.random() < 0.6 else value
            valid = rc.is_valid(value)
        elif locale == "hr_HR":
            body = str(rng.randint(1, 9)) + _digits(rng, 9)
            value = body + mod_11_10.calc_check_digit(body)
            valid = oib.is_valid(value)
        elif locale == "et_EE":
            century = (3, 4) if born.year < 2000 else (5, 6)
            body = f"{rng.choice(century)}{born:%y%m%d}{_digits(rng, 3)}"
            value = body + ik.calc_check_digit(body)
            valid = ik.is_valid(value)
        elif locale == "is_IS":
            body = f"{born:%d%m%y}{rng.randint(20, 99)}"
            weights = (3, 2, 7, 6, 5, 4, 3, 2)
            check = (11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11) % 11
            value = f"{body[:6]}-{body[6:]}{check}{9 if born.year < 2000 else 0}"
            value = value if rng.random() < 0.7 else value.replace("-", "")
            valid = check < 10 and kennitala.is_valid(value)
        elif locale == "nl_BE":
            body = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
            base = int(body) if born.year < 2000 else int("2" + body)
            compact = f"{body}{97 - base % 97:02d}"
            value = (f"{compact[:2]}.{compact[2:4]}.{compact[4:6]}-{compact[6:9]}.{compact[9:]}"
                     if rng.random() < 0.6 else compact)
            valid = nn.is_valid(value)
        else:
            raise ValueError(locale)
        if valid:
            return value


class StockValues:
    """The stock table's words (products, model codes, legal names, reviews, descriptions) for a source
    with `lang`, `rng` and the generator's family names, companies and towns."""

    lang: str
    rng: random.Random

    def family_name(self) -> str:
        raise NotImplementedError

    def company_name(self) -> str:
        raise NotImplementedError

    def town(self) -> str:
        raise NotImplementedError

    def product(self) -> str:
        return self.rng.choice(PRODUCTS[self.lang])

    def model_code(self) -> str:
        rng = self.rng
        letters = string.ascii_uppercase
        style = rng.random()
        if style < 0.35:  # SM-G991B
            return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.choice(letters)}{rng.randint(100, 999)}" \
                   f"{rng.choice(letters)}"
        if style < 0.7:  # HD9252/90
            return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1000, 9999)}/{rng.randint(10, 99)}"
        return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(1000, 9999)}{rng.choice(letters)}" \
               f"{rng.choice(letters)}{rng.randint(1, 9)}"  # WH-1000XM4

    def legal_name(self) -> str:
        forms = LEGAL_FORMS[self.lang]
        if self.rng.random() < 0.4:  # named after its founder
            return f"{self.family_name()} {self.rng.choice(FOUNDER_FIRMS[self.lang])} {self.rng.choice(forms)}"
        return f"{self.company_name()}, {self.rng.choice(forms)}"

    def brands(self) -> tuple[str, ...]:
        return BRANDS3

    def review(self) -> str:
        text = self.rng.choice(REVIEWS[self.lang]).format(
            product=self.product(), brand=self.rng.choice(self.brands()), city=self.town(), n=self.rng.randint(1, 5))
        return text[0].upper() + text[1:]

    def description(self) -> str:
        text = self.rng.choice(DESCRIPTIONS[self.lang]).format(
            product=self.product(), brand=self.rng.choice(self.brands()), model=self.model_code(), city=self.town(),
            watts=self.rng.choice((600, 800, 1000, 1200, 1500, 2000, 2200)), n=self.rng.randint(2, 5))
        return text[0].upper() + text[1:]


class MimesisSource3(StockValues, MimesisSource):
    """The third held-out part's generator: mimesis in six other locales, phones in each country's real
    number plan, national identifiers valid by python-stdnum, notes in the language."""

    LOCALES: ClassVar[dict[str, str]] = {
        "sk_SK": "SK", "hu_HU": "HU", "hr_HR": "HR", "et_EE": "ET", "is_IS": "IS", "nl_BE": "NL_BE",
    }
    LANGS: ClassVar[dict[str, str]] = {"nl_BE": "vls"}
    CALLING_CODES: ClassVar[dict[str, str]] = {
        "sk_SK": "421", "hu_HU": "36", "hr_HR": "385", "et_EE": "372", "is_IS": "354", "nl_BE": "32",
    }
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {  # national formats, trunk prefix included
        "sk_SK": ("0905 ### ###", "0911 ### ###", "0944 ### ###", "02/#### ####"),
        "hu_HU": ("06 30 ### ####", "06 20 ### ####", "06 70 ### ####", "06 1 ### ####"),
        "hr_HR": ("091 ### ####", "098 ### ####", "095 ### ####", "01 #### ###"),
        "et_EE": ("5### ####", "5## ####", "6## ####"),
        "is_IS": ("6## ####", "7## ####", "8## ####", "5## ####"),
        "nl_BE": ("0470 ## ## ##", "0486 ## ## ##", "0495 ## ## ##", "02 ### ## ##"),
    }
    TRUNK: ClassVar[dict[str, str]] = {"hu_HU": "06", "sk_SK": "0", "hr_HR": "0", "nl_BE": "0"}
    IBAN_DIGITS: ClassVar[dict[str, int]] = {
        "sk_SK": 20, "hu_HU": 24, "hr_HR": 17, "et_EE": 16, "is_IS": 22, "nl_BE": 12,
    }

    def __init__(self, locale: str, seed: str) -> None:
        super().__init__(locale, seed)
        self.lang = self.LANGS.get(locale, self.lang)

    def _national(self) -> str:
        return self.person.telephone(mask=self.rng.choice(self.PHONE_MASKS[self.locale]))

    def _subscriber(self) -> str:
        digits = "".join(c for c in self._national() if c.isdigit())
        trunk = self.TRUNK.get(self.locale, "")
        return digits[len(trunk):] if trunk and digits.startswith(trunk) else digits

    def phone(self) -> str:
        return self._national()

    def phone_intl(self) -> str:
        digits = self._subscriber()
        code = self.CALLING_CODES[self.locale]
        style = self.rng.random()
        if style < 0.5:
            if len(digits) <= 8:  # Estonian and Icelandic subscriber numbers: seven or eight digits
                return f"+{code} {digits[:3]} {digits[3:]}"
            return f"+{code} {digits[:2]} {digits[2:5]} {digits[5:]}"
        if style < 0.8:
            return f"+{code}{digits}"
        return f"00{code}{digits}"

    def phone_digits(self) -> int:
        return int(self.CALLING_CODES[self.locale] + self._subscriber())

    def national_id(self) -> str:
        return checksum_id3(self.locale, self.rng)

    def address(self) -> str:
        street, postcode, city = self.addr.address(), self.addr.postal_code(), self.addr.city()
        if self.locale == "hu_HU":  # Hungarian order: postcode and town first
            return f"{postcode} {city}, {street}"
        if self.locale == "sk_SK" and self.rng.random() < 0.5:
            return f"{street}\n{postcode} {city}"
        return f"{street}, {postcode} {city}"

    def iban(self) -> str:
        from stdnum import iban as std_iban

        country = COUNTRY[self.locale]
        bban = _digits(self.rng, self.IBAN_DIGITS[self.locale])
        value = f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"
        return grouped(value) if self.rng.random() < 0.5 else value

    def family_name(self) -> str:
        return self.person.last_name()

    def company_name(self) -> str:
        return self.finance.company()

    def town(self) -> str:
        return self.addr.city()


class FakerStockSource(StockValues, FakerSource):
    """The stock table's classes made by the training generator in the training locales: what the
    detector may be tuned on (the unit tests read it); the held-out part has the same classes in
    other languages, by another generator."""

    def family_name(self) -> str:
        return self.fake.last_name()

    def company_name(self) -> str:
        return self.fake.company()

    def town(self) -> str:
        return self.fake.city()


def stock_columns(src: Source, row: list[int]) -> list[Column]:
    """The third held-out part's hard negatives: non-personal values of shapes no other part has."""
    assert isinstance(src, StockValues)
    rng = src.rng
    lang = src.lang
    country = COUNTRY[src.locale]

    def lot() -> str:
        style = rng.random()
        if style < 0.4:
            return f"L{rng.randint(22, 26)}{rng.randint(1, 365):03d}-{rng.randint(1, 99):02d}{rng.choice('ABCDEF')}"
        if style < 0.7:
            return f"CH.{rng.choice(string.ascii_uppercase)}{rng.randint(1000, 9999)}"
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        return f"LOT {day:%y%m%d}/{rng.randint(1, 40)}"

    def version() -> str:
        base = f"{rng.randint(0, 14)}.{rng.randint(0, 30)}.{rng.randint(0, 60)}"
        style = rng.random()
        if style < 0.6:
            return base
        if style < 0.8:
            return f"v{base}"
        return f"{base}-{rng.choice(('rc', 'beta', 'alpha'))}.{rng.randint(1, 5)}"

    def machine() -> str:
        value = f"{rng.choice(MACHINE_OUIS)}:{rng.getrandbits(8):02X}:{rng.getrandbits(8):02X}:{rng.getrandbits(8):02X}"
        return value if rng.random() < 0.6 else value.replace(":", "-").lower()

    def warehouse() -> str:
        return (f"{rng.choice(('WH', 'SKL', 'LAG', 'RKT', 'DC'))}-{rng.randint(1, 40):02d}-"
                f"{rng.choice('ABCDEFGH')}{rng.randint(1, 60):02d}-{rng.randint(1, 9)}")

    def category() -> str:  # ICD-10-shaped product category codes
        return f"{rng.choice('ABCDEFGHJKLMNPRSTZ')}{rng.randint(0, 99):02d}.{rng.randint(0, 9)}"

    def hs_code() -> str:
        code = f"{rng.choice((8471, 8516, 8418, 8509, 3304, 6109, 9403, 2204, 1905, 8517))}{_digits(rng, 2)}"
        return f"{code[:4]}.{code[4:]}.{_digits(rng, 2)}" if rng.random() < 0.5 else f"{code[:4]} {code[4:]} 00"

    def sscc() -> str:
        body = str(rng.randint(0, 9)) + rng.choice(("858", "599", "385", "474", "569", "541")) + _digits(rng, 13)
        value = body + _gs1_check(body)
        return f"(00){value}" if rng.random() < 0.3 else value

    def tracking() -> str:
        if rng.random() < 0.7:
            return s10_tracking(rng, country)
        return "05" + _digits(rng, 12)  # a DPD-style parcel number, 14 digits

    def weight() -> str:
        return f"{rng.uniform(0.1, 40):.1f} kg".replace(".", ",")

    def dimensions() -> str:
        sep = rng.choice((" × ", "x", " x "))
        return sep.join(str(rng.randint(5, 120)) for _ in range(3)) + " cm"

    def expiry() -> dt.date:
        return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 4))

    def cost_center() -> str:
        return f"{rng.choice(('KST', 'NS', 'CC', 'KH'))}-{rng.randint(1000, 9999)}"

    return [
        ("isbn", "varchar", lambda: isbn13(rng), HARD),
        ("model", "varchar", src.model_code, HARD),
        ("tracking", "varchar", tracking, HARD),
        ("vat", "varchar", lambda: company_vat(rng), HARD),
        ("account", "varchar", lambda: internal_account(rng, country), HARD),
        ("lot", "varchar", lot, HARD),
        ("formula", "varchar", lambda: rng.choice(FORMULAS), HARD),
        ("version", "varchar", version, HARD),
        ("machine", "varchar", machine, HARD),
        ("warehouse", "varchar", warehouse, HARD),
        ("category", "varchar", category, HARD),
        ("hs_code", "varchar", hs_code, HARD),
        ("sscc", "varchar", sscc, HARD),
        ("legal_name", "varchar", src.legal_name, HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS3), HARD),
        ("review", "varchar", src.review, HARD),
        ("description", "varchar", src.description, HARD),
        ("expiry", "date", expiry, HARD),
        ("weight", "varchar", weight, HARD),
        ("dimensions", "varchar", dimensions, HARD),
        ("hours", "varchar", lambda: rng.choice(OPENING_HOURS[lang]), HARD),
        ("tax_rate", "varchar", lambda: f"{rng.choice((5, 10, 13, 18, 20, 21, 22, 23, 24, 25, 27))} %", HARD),
        ("cost_center", "varchar", cost_center, HARD),
    ]


# the stock table's words in the training languages (Faker, en_US, de_DE, fr_FR, it_IT): for tuning
LEGAL_FORMS.update({
    "en": ("Inc.", "LLC", "Corp.", "Ltd."), "de": ("GmbH", "AG", "KG", "GmbH & Co. KG"),
    "fr": ("SARL", "SA", "SAS", "EURL"), "it": ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s."),
})
FOUNDER_FIRMS.update({
    "en": ("& Sons", "Builders", "Trading", "Holdings"), "de": ("& Söhne", "Bau", "Handel", "Holding"),
    "fr": ("et Fils", "Bâtiment", "Négoce", "Groupe"), "it": ("e Figli", "Costruzioni", "Commercio", "Holding"),
})
PRODUCTS.update({
    "en": ("blender", "vacuum cleaner", "coffee maker", "kettle", "iron", "hair dryer", "toaster", "fridge"),
    "de": ("Mixer", "Staubsauger", "Kaffeemaschine", "Wasserkocher", "Bügeleisen", "Föhn", "Toaster",
           "Kühlschrank"),
    "fr": ("mixeur", "aspirateur", "cafetière", "bouilloire", "fer à repasser", "sèche-cheveux", "grille-pain",
           "réfrigérateur"),
    "it": ("frullatore", "aspirapolvere", "macchina da caffè", "bollitore", "ferro da stiro", "asciugacapelli",
           "tostapane", "frigorifero"),
})
REVIEWS.update({
    "en": ("The {product} from {brand} works great, delivery to {city} took {n} days.",
           "Bought at the store in {city}, {brand} reliable as always.",
           "Parcel arrived damaged but the {city} shop swapped it at once. Recommend {brand}.",
           "Weak {product} for the price, expected more from {brand}.",
           "Noisy but reliable. Rating {n}/5."),
    "de": ("Der {product} von {brand} funktioniert super, Lieferung nach {city} dauerte {n} Tage.",
           "Im Laden in {city} gekauft, {brand} wie immer zuverlässig.",
           "Paket kam beschädigt an, aber die Filiale in {city} hat sofort getauscht. {brand} empfehlenswert.",
           "Für den Preis ein schwacher {product}, von {brand} hätte ich mehr erwartet.",
           "Laut, aber zuverlässig. Bewertung {n}/5."),
    "fr": ("Le {product} de {brand} fonctionne très bien, livraison à {city} en {n} jours.",
           "Acheté au magasin de {city}, {brand} toujours fiable.",
           "Colis arrivé abîmé mais la boutique de {city} l'a échangé tout de suite. Je recommande {brand}.",
           "{product} décevant pour le prix, j'attendais mieux de {brand}.",
           "Bruyant mais fiable. Note {n}/5."),
    "it": ("Il {product} di {brand} funziona benissimo, consegna a {city} in {n} giorni.",
           "Comprato nel negozio di {city}, {brand} affidabile come sempre.",
           "Pacco arrivato danneggiato ma il negozio di {city} l'ha sostituito subito. Consiglio {brand}.",
           "{product} debole per il prezzo, mi aspettavo di più da {brand}.",
           "Rumoroso ma affidabile. Voto {n}/5."),
})
DESCRIPTIONS.update({
    "en": ("{brand} {model} {product}, {watts} W, made in {city}.",
           "{brand} {model}: stainless steel {product}, {n}-year warranty, service centre in {city}."),
    "de": ("{product} {brand} {model}, Leistung {watts} W, hergestellt in {city}.",
           "{brand} {model}: {product} aus Edelstahl, {n} Jahre Garantie, Service in {city}."),
    "fr": ("{product} {brand} {model}, puissance {watts} W, fabriqué à {city}.",
           "{brand} {model} : {product} en inox, garantie {n} ans, SAV à {city}."),
    "it": ("{product} {brand} {model}, potenza {watts} W, prodotto a {city}.",
           "{brand} {model}: {product} in acciaio inox, garanzia {n} anni, assistenza a {city}."),
})
OPENING_HOURS.update({
    "en": ("Mon–Fri 9am–5pm", "Mon–Sat 8:00–18:00", "Tue–Sat 10–19"),
    "de": ("Mo–Fr 8:00–17:00", "Mo–Sa 9–18 Uhr", "Di–Sa 10:00–19:00"),
    "fr": ("lun.–ven. 9h–18h", "lun.–sam. 8h30–19h", "mar.–sam. 10h–19h"),
    "it": ("lun–ven 9:00–18:00", "lun–sab 8:30–19:30", "mar–sab 10–19"),
})


# --- the fourth held-out part ------------------------------------------------------------------------
# mimesis in Norwegian, Greek (Greek script), Swiss German, Turkish, Ukrainian and Russian (Cyrillic):
# locales no other part and no tuning table has had; column names in each language (transliterated, as
# such schemas are usually written) and in a fourth opaque scheme (`r2c07`, `ff_12`, `u0x1b`); per
# locale a people table (as the other parts, with notes in the language) and a `catalog_*` table of hard
# negatives: the earlier classes in new shapes (order and invoice numbers, GTIN-14, money in the local
# format, dotted delivery dates, IKEA-style grouped article numbers) and new ones (companies' registry
# and tax numbers with valid checksums, legal names with and without a legal form, eponymous brands,
# reviews and descriptions in the language that mention towns, container numbers, GLNs, LEIs, UN
# numbers, NACE codes, flight numbers, colour codes, energy classes, temperatures, product URLs).
# Committed and measured before the fourth round of tuning; its per-column error list is not printed
# (`--errors` leaves it out) until that round is over.

HELDOUT4_LOCALES = ("no_NO", "el_GR", "de_CH", "tr_TR", "uk_UA", "ru_RU")
HELDOUT4_SCHEMES = ("native", "grid")
PARTS["corpus_heldout4"] = (HELDOUT4_LOCALES, HELDOUT4_SCHEMES)
TABLE_KINDS["corpus_heldout4"] = ("people", "catalog")
SEALED_PARTS = ("corpus_heldout4",)  # parts whose per-column error list `--errors` does not print
NATIONAL_ID.update({
    "no_NO": "NO_BIRTH_NUMBER",  # fødselsnummer
    "el_GR": "GR_AMKA",
    "de_CH": "CH_AHV",
    "tr_TR": "TR_IDENTITY_NUMBER",  # T.C. kimlik numarası (no recognizer)
    "uk_UA": "UA_RNOKPP",  # the individual tax number (no recognizer)
    "ru_RU": "RU_INN",  # a person's 12-digit INN (no recognizer)
})
COUNTRY.update({"no_NO": "NO", "el_GR": "GR", "de_CH": "CH", "tr_TR": "TR", "uk_UA": "UA", "ru_RU": "RU"})
GRID_STYLES = ("rc", "ff", "u0x")  # the fourth held-out part's opaque scheme: r2c07, ff_12, u0x1b


def grid_names(rng: random.Random, keys: list[str], table: str) -> dict[str, str]:
    style = rng.choice(GRID_STYLES)
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)
    if style == "rc":  # a sheet's row of headers and the cell's column, as a spreadsheet import names them
        return {k: f"r{rng.randint(1, 4)}c{n:02d}" for k, n in zip(keys, order, strict=True)}
    if style == "ff":
        return {k: f"ff_{n}" for k, n in zip(keys, order, strict=True)}
    return {k: f"u0x{n + 10:02x}" for k, n in zip(keys, order, strict=True)}


NATIVE.update({
    "no_NO": {
        "id": "kundenummer", "given": "fornavn", "family": "etternavn", "full_name": "fullt_navn",
        "email": "epostadresse", "phone": "telefonnummer", "phone_intl": "mobilnummer", "phone_num": "tlf_nr",
        "dob": "fodselsdato", "street": "gateadresse", "address": "bostedsadresse", "city": "poststed",
        "postcode": "postnummer", "country": "land", "national_id": "fodselsnummer", "iban": "kontonummer",
        "bic": "bic", "card": "kortnummer", "card_num": "betalingskort", "ip": "ip_adresse", "notes": "merknad",
        "signup": "registrert", "company": "arbeidsgiver",
        "order_no": "ordrenummer", "invoice_no": "fakturanummer", "gtin": "gtin", "article": "artikkelnummer",
        "amount_text": "belop", "currency": "valuta", "delivery": "leveringsdato", "org_no": "organisasjonsnummer",
        "legal_name": "foretaksnavn", "company_plain": "leverandor", "brand": "varemerke", "review": "anmeldelse",
        "description": "produktbeskrivelse", "container": "containernummer", "gln": "lokasjonsnummer",
        "lei": "lei_kode", "un_number": "un_nummer", "nace": "naeringskode", "flight": "flightnummer",
        "colour": "fargekode", "energy": "energiklasse", "temperature": "lagringstemperatur",
        "url": "produktlenke", "status": "status",
    },
    "el_GR": {
        "id": "kodikos_pelati", "given": "onoma", "family": "eponymo", "full_name": "onomateponymo",
        "email": "email", "phone": "tilefono", "phone_intl": "kinito", "phone_num": "arithmos_tilefonou",
        "dob": "imerominia_gennisis", "street": "odos_arithmos", "address": "diefthynsi", "city": "poli",
        "postcode": "tachydromikos_kodikas", "country": "chora", "national_id": "amka", "iban": "iban",
        "bic": "bic", "card": "arithmos_kartas", "card_num": "pistotiki", "ip": "dieythynsi_ip",
        "notes": "sxolia", "signup": "imerominia_eggrafis", "company": "ergodotis",
        "order_no": "arithmos_paraggelias", "invoice_no": "arithmos_timologiou", "gtin": "gtin",
        "article": "kodikos_eidous", "amount_text": "timi", "currency": "nomisma", "delivery": "imerominia_paradosis",
        "org_no": "afm_etaireias", "legal_name": "eponymia", "company_plain": "promitheftis", "brand": "marka",
        "review": "axiologisi", "description": "perigrafi_proiontos", "container": "arithmos_container",
        "gln": "gln", "lei": "lei", "un_number": "arithmos_oie", "nace": "kad", "flight": "ptisi",
        "colour": "kodikos_chromatos", "energy": "energeiaki_klasi", "temperature": "thermokrasia_fylaxis",
        "url": "syndesmos", "status": "katastasi",
    },
    "de_CH": {
        "id": "kunden_nr", "given": "vorname", "family": "name", "full_name": "vollstaendiger_name",
        "email": "mailadresse", "phone": "telefon_privat", "phone_intl": "natel", "phone_num": "telefon_nr",
        "dob": "geburtsdatum", "street": "strasse_nr", "address": "wohnadresse", "city": "ortschaft",
        "postcode": "plz", "country": "land", "national_id": "ahv_nummer", "iban": "iban", "bic": "bic",
        "card": "kartennummer", "card_num": "kreditkarte", "ip": "ip_adresse", "notes": "notiz",
        "signup": "erfasst_am", "company": "arbeitgeber",
        "order_no": "auftragsnr", "invoice_no": "rechnungsnr", "gtin": "gtin", "article": "artikelnr",
        "amount_text": "betrag_chf", "currency": "waehrung", "delivery": "lieferdatum", "org_no": "uid",
        "legal_name": "firma", "company_plain": "lieferant", "brand": "marke", "review": "bewertung",
        "description": "produktbeschrieb", "container": "container_nr", "gln": "gln", "lei": "lei",
        "un_number": "un_nr", "nace": "noga_code", "flight": "flug_nr", "colour": "farbcode",
        "energy": "energieetikette", "temperature": "lagertemperatur", "url": "produkt_url", "status": "status",
    },
    "tr_TR": {
        "id": "musteri_no", "given": "ad", "family": "soyad", "full_name": "ad_soyad", "email": "eposta",
        "phone": "telefon", "phone_intl": "cep_telefonu", "phone_num": "telefon_no", "dob": "dogum_tarihi",
        "street": "sokak_adresi", "address": "ikamet_adresi", "city": "il", "postcode": "posta_kodu",
        "country": "ulke", "national_id": "tc_kimlik_no", "iban": "iban", "bic": "swift_kodu",
        "card": "kart_numarasi", "card_num": "kredi_karti", "ip": "ip_adresi", "notes": "aciklama",
        "signup": "kayit_tarihi", "company": "isveren",
        "order_no": "siparis_no", "invoice_no": "fatura_no", "gtin": "gtin", "article": "urun_kodu",
        "amount_text": "tutar", "currency": "para_birimi", "delivery": "teslim_tarihi", "org_no": "vergi_no",
        "legal_name": "unvan", "company_plain": "tedarikci", "brand": "marka", "review": "yorum",
        "description": "urun_aciklamasi", "container": "konteyner_no", "gln": "gln", "lei": "lei",
        "un_number": "un_no", "nace": "nace_kodu", "flight": "ucus_no", "colour": "renk_kodu",
        "energy": "enerji_sinifi", "temperature": "saklama_sicakligi", "url": "urun_linki", "status": "durum",
    },
    "uk_UA": {
        "id": "kod_kliienta", "given": "imia", "family": "prizvyshche", "full_name": "pib", "email": "el_poshta",
        "phone": "telefon", "phone_intl": "mobilnyi", "phone_num": "nomer_telefonu", "dob": "data_narodzhennia",
        "street": "vulytsia", "address": "adresa_prozhyvannia", "city": "misto", "postcode": "poshtovyi_indeks",
        "country": "krajina", "national_id": "rnokpp", "iban": "rakhunok_iban", "bic": "bic",
        "card": "nomer_kartky", "card_num": "platizhna_kartka", "ip": "ip_adresa", "notes": "prymitky",
        "signup": "zareiestrovano", "company": "robotodavets",
        "order_no": "nomer_zamovlennia", "invoice_no": "nomer_rakhunku", "gtin": "gtin", "article": "artykul",
        "amount_text": "suma", "currency": "valiuta", "delivery": "data_dostavky", "org_no": "kod_yedrpou",
        "legal_name": "nazva_pidpryiemstva", "company_plain": "postachalnyk", "brand": "torhova_marka",
        "review": "vidhuk", "description": "opys_tovaru", "container": "nomer_konteinera", "gln": "gln",
        "lei": "lei", "un_number": "nomer_oon", "nace": "kved", "flight": "reis", "colour": "kolir",
        "energy": "klas_enerhoefektyvnosti", "temperature": "temperatura_zberihannia", "url": "posylannia",
        "status": "status",
    },
    "ru_RU": {
        "id": "nomer_klienta", "given": "imya", "family": "familiya", "full_name": "fio", "email": "elektronnaya_pochta",
        "phone": "telefon", "phone_intl": "mobilnyy", "phone_num": "nomer_telefona", "dob": "data_rozhdeniya",
        "street": "ulitsa_dom", "address": "adres_registratsii", "city": "gorod", "postcode": "pochtovyy_indeks",
        "country": "strana", "national_id": "inn", "iban": "schet_iban", "bic": "bik_swift",
        "card": "nomer_karty", "card_num": "bankovskaya_karta", "ip": "ip_adres", "notes": "kommentariy",
        "signup": "data_registratsii", "company": "rabotodatel",
        "order_no": "nomer_zakaza", "invoice_no": "nomer_scheta", "gtin": "gtin", "article": "artikul",
        "amount_text": "summa", "currency": "valyuta", "delivery": "data_dostavki", "org_no": "inn_organizatsii",
        "legal_name": "naimenovanie_organizatsii", "company_plain": "postavshchik", "brand": "brend",
        "review": "otzyv", "description": "opisanie_tovara", "container": "nomer_konteynera", "gln": "gln",
        "lei": "lei", "un_number": "nomer_oon", "nace": "okved", "flight": "reys", "colour": "tsvet",
        "energy": "klass_energoeffektivnosti", "temperature": "temperatura_khraneniya", "url": "ssylka",
        "status": "status",
    },
})
NOTES.update({
    "no": ("Kunden spør om leveringstid.", "Pakken kan leveres til naboen.",
           "Faktura sendes ved slutten av måneden.", "Varen er returnert, refusjon venter."),
    "el": ("Ο πελάτης ρωτά για την παράδοση.", "Αφήστε το δέμα στον γείτονα.",
           "Τιμολόγιο στο τέλος του μήνα.", "Το προϊόν επεστράφη, η επιστροφή χρημάτων εκκρεμεί."),
    "gsw": ("Kundin fragt nach dem Liefertermin.", "Päckli bitte beim Nachbarn abgeben.",
            "Rechnung Ende Monat verschicken.", "Ware retour, Gutschrift pendent."),
    "tr": ("Müşteri teslimat tarihini soruyor.", "Paket komşuya bırakılabilir.",
           "Fatura ay sonunda gönderilecek.", "Ürün iade edildi, geri ödeme bekleniyor."),
    "uk": ("Клієнт питає про термін доставки.", "Посилку можна залишити у сусіда.",
           "Рахунок надіслати наприкінці місяця.", "Товар повернено, відшкодування очікується."),
    "ru": ("Клиент спрашивает о сроке доставки.", "Посылку можно оставить у соседа.",
           "Счёт отправить в конце месяца.", "Товар возвращён, возврат средств ожидается."),
})
MENTIONS.update({
    "no": (" Kontakt: {email}.", " Ring tilbake på {phone}."),
    "el": (" Επικοινωνία: {email}.", " Καλέστε στο {phone}."),
    "gsw": (" Erreichbar unter {email}.", " Bitte zurückrufen: {phone}."),
    "tr": (" İletişim: {email}.", " Lütfen {phone} numarasından arayın."),
    "uk": (" Пишіть на {email}.", " Передзвонити за номером {phone}."),
    "ru": (" Писать на {email}.", " Перезвонить по номеру {phone}."),
})
DOB_FORMATS.update({"no": "%d.%m.%Y", "el": "%d/%m/%Y", "gsw": "%d.%m.%Y", "tr": "%d.%m.%Y", "uk": "%d.%m.%Y"})
DOB_AS_DATE = (*DOB_AS_DATE, "ru")
LEGAL_FORMS.update({
    "no": ("AS", "ASA", "ANS", "DA"), "el": ("Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε.", "Ο.Ε."),
    "gsw": ("AG", "GmbH", "Sàrl", "SA"), "tr": ("A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."),
    "uk": ("ТОВ", "ПрАТ", "ФОП"), "ru": ("ООО", "АО", "ПАО"),
})
FOUNDER_FIRMS.update({
    "no": ("& Sønner", "Bygg", "Handel", "Holding"), "el": ("& Υιοί", "Κατασκευαστική", "Εμπορική", "Όμιλος"),
    "gsw": ("& Söhne", "Bau", "Handel", "Holding"), "tr": ("ve Oğulları", "İnşaat", "Ticaret", "Holding"),
    "uk": ("і сини", "Буд", "Трейд", "Груп"), "ru": ("и сыновья", "Строй", "Трейд", "Групп"),
})
PRODUCTS.update({
    "no": ("stavmikser", "støvsuger", "kaffetrakter", "vannkoker", "strykejern", "hårføner", "brødrister",
           "kjøleskap"),
    "el": ("μπλέντερ", "ηλεκτρική σκούπα", "καφετιέρα", "βραστήρας", "σίδερο", "πιστολάκι μαλλιών", "φρυγανιέρα",
           "ψυγείο"),
    "gsw": ("Mixer", "Staubsauger", "Kaffeemaschine", "Wasserkocher", "Bügeleisen", "Haartrockner", "Toaster",
            "Kühlschrank"),
    "tr": ("blender", "elektrikli süpürge", "kahve makinesi", "su ısıtıcısı", "ütü", "saç kurutma makinesi",
           "ekmek kızartma makinesi", "buzdolabı"),
    "uk": ("блендер", "пилосос", "кавоварка", "електрочайник", "праска", "фен", "тостер", "холодильник"),
    "ru": ("блендер", "пылесос", "кофеварка", "электрочайник", "утюг", "фен", "тостер", "холодильник"),
})
REVIEWS.update({
    "no": ("{product} fra {brand} fungerer kjempebra, levering til {city} tok {n} dager.",
           "Kjøpt i butikken i {city}, {brand} like pålitelig som alltid.",
           "Pakken kom skadet, men butikken i {city} byttet den med en gang. Anbefaler {brand}.",
           "Svak {product} for prisen, forventet mer av {brand}.",
           "Bråkete, men pålitelig. Terningkast {n}."),
    "el": ("Το {product} της {brand} λειτουργεί τέλεια, η παράδοση στην {city} πήρε {n} ημέρες.",
           "Αγορασμένο από το κατάστημα στην {city}, η {brand} αξιόπιστη όπως πάντα.",
           "Το δέμα ήρθε χτυπημένο, αλλά το κατάστημα της {city} το άλλαξε αμέσως. Συνιστώ {brand}.",
           "Αδύναμο {product} για την τιμή, περίμενα περισσότερα από την {brand}.",
           "Θορυβώδες αλλά αξιόπιστο. Βαθμολογία {n}/5."),
    "gsw": ("Der {product} von {brand} läuft tipptopp, Lieferung nach {city} in {n} Tagen.",
            "Im Laden in {city} gekauft, {brand} wie immer zuverlässig.",
            "Päckli kam beschädigt an, die Filiale in {city} hat es sofort ersetzt. {brand} empfehlenswert.",
            "Für den Preis ein schwacher {product}, von {brand} hätte ich mehr erwartet.",
            "Laut, aber zuverlässig. Note {n} von 5."),
    "tr": ("{brand} {product} harika çalışıyor, {city} teslimatı {n} gün sürdü.",
           "{city} mağazasından aldım, {brand} her zamanki gibi güvenilir.",
           "Paket hasarlı geldi ama {city} mağazası hemen değiştirdi. {brand} tavsiye ederim.",
           "Bu fiyata zayıf bir {product}, {brand} markasından daha fazlasını beklerdim.",
           "Gürültülü ama sağlam. Puan {n}/5."),
    "uk": ("{product} від {brand} працює чудово, доставка до міста {city} зайняла {n} дні.",
           "Купив у магазині в місті {city}, {brand} як завжди надійний.",
           "Посилка прийшла пошкодженою, але магазин у місті {city} одразу замінив. Раджу {brand}.",
           "Слабкий {product} за таку ціну, від {brand} чекав більшого.",
           "Гучний, але надійний. Оцінка {n}/5."),
    "ru": ("{product} от {brand} работает отлично, доставка в город {city} заняла {n} дня.",
           "Купил в магазине в городе {city}, {brand} как всегда надёжен.",
           "Посылка пришла повреждённой, но магазин в городе {city} сразу заменил. Рекомендую {brand}.",
           "Слабый {product} за такие деньги, от {brand} ожидал большего.",
           "Шумный, но надёжный. Оценка {n}/5."),
})
DESCRIPTIONS.update({
    "no": ("{product} {brand} {model}, effekt {watts} W, produsert i {city}.",
           "{brand} {model}: {product} i rustfritt stål, {n} års garanti, service i {city}."),
    "el": ("{product} {brand} {model}, ισχύς {watts} W, κατασκευασμένο στην {city}.",
           "{brand} {model}: {product} από ανοξείδωτο ατσάλι, εγγύηση {n} ετών, σέρβις στην {city}."),
    "gsw": ("{product} {brand} {model}, Leistung {watts} W, hergestellt in {city}.",
            "{brand} {model}: {product} aus Chromstahl, {n} Jahre Garantie, Service in {city}."),
    "tr": ("{brand} {model} {product}, {watts} W güç, üretim yeri {city}.",
           "{brand} {model}: paslanmaz çelik {product}, {n} yıl garanti, {city} servis merkezi."),
    "uk": ("{product} {brand} {model}, потужність {watts} Вт, виготовлено в місті {city}.",
           "{brand} {model}: {product} з нержавіючої сталі, гарантія {n} роки, сервіс у місті {city}."),
    "ru": ("{product} {brand} {model}, мощность {watts} Вт, произведено в городе {city}.",
           "{brand} {model}: {product} из нержавеющей стали, гарантия {n} года, сервис в городе {city}."),
})
# brands of these countries, several named after a founder (Nestlé, Ülker, Smirnoff, Mövenpick, Freia) and
# several a designer's full name
BRANDS4 = ("Nestlé", "Lindt", "Mövenpick", "Victorinox", "Swatch", "Freia", "Tine", "Jordan", "Helly Hansen",
           "Arçelik", "Ülker", "Vestel", "Roshen", "Morshynska", "Smirnoff", "Kalashnikov", "Yandex", "Korres",
           "Papadopoulos", "Tom Ford", "Calvin Klein", "Giorgio Armani", "Ralph Lauren", "Paul Smith")
MONEY4 = {"no": "{} kr", "el": "{} €", "gsw": "CHF {}", "tr": "{} TL", "uk": "{} грн", "ru": "{} ₽"}
CURRENCIES4 = ("NOK", "EUR", "CHF", "TRY", "UAH", "RUB", "USD", "PLN", "GEL", "KZT")
STATUSES4 = {
    "no": ("ny", "betalt", "sendt", "levert", "returnert", "kansellert"),
    "el": ("νέα", "πληρωμένη", "απεστάλη", "παραδόθηκε", "επιστράφηκε", "ακυρώθηκε"),
    "gsw": ("offen", "bezahlt", "versandt", "zugestellt", "retour", "storniert"),
    "tr": ("yeni", "ödendi", "kargoda", "teslim edildi", "iade", "iptal"),
    "uk": ("новий", "оплачено", "відправлено", "доставлено", "повернено", "скасовано"),
    "ru": ("новый", "оплачен", "отправлен", "доставлен", "возвращён", "отменён"),
}
COLOURS4 = ("RAL 9010", "RAL 7016", "RAL 3020", "RAL 5015", "Pantone 186 C", "Pantone 300 C", "NCS S 0500-N")
UN_NUMBERS = ("UN 1203", "UN 1170", "UN 1263", "UN 3480", "UN 3481", "UN 1950", "UN 2794", "UN 1993")
NACE4 = ("47.91", "46.43", "27.51", "10.71", "62.01", "52.10", "46.90", "47.54")
AIRLINES4 = ("SK", "DY", "A3", "OA", "LX", "TK", "PC", "PS", "SU", "FV")
ENERGY4 = ("A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G")


def _check_digit_loop(body: str, is_valid: Callable[[str], bool], digits: int = 1) -> str | None:
    """`body` with the check digit(s) that make `is_valid` true, or None when none does."""
    for check in range(10**digits):
        value = f"{body}{check:0{digits}d}"
        if is_valid(value):
            return value
    return None


def checksum_id4(locale: str, rng: random.Random) -> str:
    """A person's national identifier of a fourth-held-out locale, valid by python-stdnum."""
    from stdnum.ch import ssn
    from stdnum.gr import amka
    from stdnum.no import fodselsnummer
    from stdnum.ru import inn
    from stdnum.tr import tckimlik
    from stdnum.ua import rntrc

    while True:
        born = _birth(rng)
        value: str | None
        if locale == "no_NO":
            serial = rng.randint(0, 499) if born.year < 2000 else rng.randint(500, 999)
            body = f"{born:%d%m%y}{serial:03d}"
            value = _check_digit_loop(body, fodselsnummer.is_valid, 2)
        elif locale == "el_GR":
            value = _check_digit_loop(f"{born:%d%m%y}{_digits(rng, 4)}", amka.is_valid)
        elif locale == "de_CH":
            value = _check_digit_loop("756" + _digits(rng, 9), ssn.is_valid)
            if value and rng.random() < 0.8:
                value = f"{value[:3]}.{value[3:7]}.{value[7:11]}.{value[11:]}"
        elif locale == "tr_TR":
            value = _check_digit_loop(str(rng.randint(1, 9)) + _digits(rng, 8), tckimlik.is_valid, 2)
        elif locale == "uk_UA":
            days = (born - dt.date(1899, 12, 31)).days
            value = _check_digit_loop(f"{days:05d}{_digits(rng, 4)}", rntrc.is_valid)
        elif locale == "ru_RU":
            value = _check_digit_loop(f"{rng.choice(('77', '78', '50', '54', '66', '16'))}{_digits(rng, 8)}",
                                      inn.is_valid, 2)
        else:
            raise ValueError(locale)
        if value:
            return value


def company_number4(locale: str, rng: random.Random) -> str:
    """A company's registry or tax number of the locale's country, valid by python-stdnum: Norwegian
    organisation number, Greek company AFM, Swiss UID, Turkish VKN, Ukrainian EDRPOU, Russian 10-digit INN."""
    from stdnum.ch import uid
    from stdnum.gr import vat
    from stdnum.no import orgnr
    from stdnum.ru import inn
    from stdnum.tr import vkn
    from stdnum.ua import edrpou

    while True:
        value: str | None
        if locale == "no_NO":
            value = _check_digit_loop(rng.choice("89") + _digits(rng, 7), orgnr.is_valid)
            value = value and (f"{value[:3]} {value[3:6]} {value[6:]}" if rng.random() < 0.5 else value)
        elif locale == "el_GR":
            value = _check_digit_loop("0" + rng.choice("9") + _digits(rng, 6), vat.is_valid)
            value = value and (f"EL{value}" if rng.random() < 0.3 else value)
        elif locale == "de_CH":
            value = _check_digit_loop("CHE" + _digits(rng, 8), uid.is_valid)
            value = value and f"CHE-{value[3:6]}.{value[6:9]}.{value[9:]}{rng.choice(('', ' MWST'))}"
        elif locale == "tr_TR":
            value = _check_digit_loop(_digits(rng, 9), vkn.is_valid)
        elif locale == "uk_UA":
            value = _check_digit_loop(rng.choice("234") + _digits(rng, 6), edrpou.is_valid)
        elif locale == "ru_RU":
            value = _check_digit_loop(f"{rng.choice(('77', '78', '50'))}{_digits(rng, 7)}", inn.is_valid)
        else:
            raise ValueError(locale)
        if value:
            return value


def gtin14(rng: random.Random) -> str:
    body = str(rng.randint(1, 8)) + rng.choice(("70", "52", "76", "86", "48", "46")) + _digits(rng, 10)
    value = body + _gs1_check(body)
    return f"({rng.choice(('01', '02'))}){value}" if rng.random() < 0.3 else value


def container_number(rng: random.Random) -> str:
    """An ISO 6346 freight container number: owner code, U, six digits and the check digit."""
    from stdnum.iso6346 import calc_check_digit

    body = rng.choice(("MSK", "MSC", "CMA", "HLX", "TGH", "OOL")) + "U" + _digits(rng, 6)
    value = body + calc_check_digit(body)
    return f"{value[:4]} {value[4:10]} {value[10]}" if rng.random() < 0.4 else value


def lei_code(rng: random.Random) -> str:
    """A legal entity identifier (ISO 17442): 18 characters and two mod-97 check digits."""
    from stdnum import lei

    body = rng.choice(("5299", "7437", "2138", "5493", "8156")) + "00" + "".join(
        rng.choice(string.ascii_uppercase + string.digits) for _ in range(12))
    value = _check_digit_loop(body, lei.is_valid, 2)
    return value or lei_code(rng)


def gln(rng: random.Random) -> str:
    body = rng.choice(("70", "76", "52", "86", "482", "460")) + _digits(rng, 10)
    body = body[:12]
    return body + _gs1_check(body)


class MimesisSource4(StockValues, MimesisSource):
    """The fourth held-out part's generator: mimesis in six other locales (two in Cyrillic, one in Greek
    script), phones in each country's real number plan, national identifiers valid by python-stdnum."""

    LOCALES: ClassVar[dict[str, str]] = {
        "no_NO": "NO", "el_GR": "EL", "de_CH": "DE_CH", "tr_TR": "TR", "uk_UA": "UK", "ru_RU": "RU",
    }
    LANGS: ClassVar[dict[str, str]] = {"de_CH": "gsw"}
    CALLING_CODES: ClassVar[dict[str, str]] = {
        "no_NO": "47", "el_GR": "30", "de_CH": "41", "tr_TR": "90", "uk_UA": "380", "ru_RU": "7",
    }
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {  # national formats, trunk prefix included
        "no_NO": ("4## ## ###", "9## ## ###", "2# ## ## ##", "4#######"),
        "el_GR": ("69# ### ####", "694#######", "21# ### ####", "231 ### ####"),
        "de_CH": ("079 ### ## ##", "078 ### ## ##", "076 ### ## ##", "044 ### ## ##", "031 ### ## ##"),
        "tr_TR": ("0 (53#) ### ## ##", "0532 ### ## ##", "0 (212) ### ## ##", "054# ### ####"),
        "uk_UA": ("(067) ###-##-##", "050 ### ## ##", "(044) ###-##-##", "093 ### ####"),
        "ru_RU": ("8 (9##) ###-##-##", "8-916-###-##-##", "8 (495) ###-##-##", "89#########"),
    }
    TRUNK: ClassVar[dict[str, str]] = {"de_CH": "0", "tr_TR": "0", "uk_UA": "0", "ru_RU": "8"}
    IBAN_BBAN: ClassVar[dict[str, int]] = {
        "no_NO": 11, "el_GR": 23, "de_CH": 17, "tr_TR": 22, "uk_UA": 25, "ru_RU": 29,
    }

    def __init__(self, locale: str, seed: str) -> None:
        super().__init__(locale, seed)
        self.lang = self.LANGS.get(locale, self.lang)

    def _national(self) -> str:
        return self.person.telephone(mask=self.rng.choice(self.PHONE_MASKS[self.locale]))

    def _subscriber(self) -> str:
        digits = "".join(c for c in self._national() if c.isdigit())
        trunk = self.TRUNK.get(self.locale, "")
        return digits[len(trunk):] if trunk and digits.startswith(trunk) else digits

    def phone(self) -> str:
        return self._national()

    def phone_intl(self) -> str:
        digits = self._subscriber()
        code = self.CALLING_CODES[self.locale]
        style = self.rng.random()
        if style < 0.4:
            return f"+{code} {digits[:2]} {digits[2:5]} {digits[5:]}" if len(digits) <= 8 else \
                f"+{code} {digits[:3]} {digits[3:6]} {digits[6:]}"
        if style < 0.6 and self.locale in ("uk_UA", "ru_RU"):
            return f"+{code} ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
        if style < 0.8:
            return f"+{code}{digits}"
        return f"00{code} {digits}"

    def phone_digits(self) -> int:
        return int(self.CALLING_CODES[self.locale] + self._subscriber())

    def national_id(self) -> str:
        return checksum_id4(self.locale, self.rng)

    def address(self) -> str:
        street, postcode, city = self.addr.address(), self.addr.postal_code(), self.addr.city()
        if self.locale == "ru_RU":  # the Russian order: postcode, town, street
            return f"{postcode}, г. {city}, {street}, кв. {self.rng.randint(1, 200)}"
        if self.locale == "uk_UA":
            return f"{street}, кв. {self.rng.randint(1, 200)}, м. {city}, {postcode}"
        if self.locale == "de_CH" and self.rng.random() < 0.5:
            return f"{street}\nCH-{postcode} {city}"
        return f"{street}, {postcode} {city}"

    def iban(self) -> str:
        from stdnum import iban as std_iban

        country = COUNTRY[self.locale]
        bban = _digits(self.rng, self.IBAN_BBAN[self.locale])
        if country == "TR":
            bban = bban[:5] + "0" + bban[6:]
        value = f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"
        return grouped(value) if self.rng.random() < 0.5 else value

    def family_name(self) -> str:
        return self.person.last_name()

    def company_name(self) -> str:
        return self.finance.company()

    def town(self) -> str:
        return self.addr.city()

    def brands(self) -> tuple[str, ...]:
        return BRANDS4


def catalog_columns(src: Source, row: list[int]) -> list[Column]:
    """The fourth held-out part's hard negatives: the earlier classes in new shapes and new classes."""
    assert isinstance(src, MimesisSource4)
    rng = src.rng
    lang = src.lang
    locale = src.locale

    def next_order() -> str:
        row[0] += 1
        return f"{rng.choice(('SO', 'WO', 'B2B'))}/{rng.choice((2025, 2026))}/{row[0]:06d}"

    def invoice() -> str:
        return f"{rng.choice(('F', 'INV', 'RE'))}{rng.randint(24, 26)}-{rng.randint(1, 99999):05d}"

    def article() -> str:  # grouped like a phone number: 802.413.53
        value = _digits(rng, 8)
        return f"{value[:3]}.{value[3:6]}.{value[6:]}" if rng.random() < 0.6 else f"{value[:3]} {value[3:6]} {value[6:]}"

    def amount_text() -> str:
        whole, cents = f"{rng.uniform(1, 90000):,.2f}".split(".")
        sep = "'" if lang == "gsw" else ("." if lang in ("el", "tr") else " ")
        decimal = "." if lang == "gsw" else ","
        return MONEY4[lang].format(f"{whole.replace(',', sep)}{decimal}{cents}")

    def delivery() -> str:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        return day.strftime(DOB_FORMATS.get(lang, "%d.%m.%Y"))

    def plain_company() -> str:
        return src.company_name()

    def flight() -> str:
        return f"{rng.choice(AIRLINES4)}{rng.randint(100, 9999)}"

    def colour() -> str:
        return rng.choice(COLOURS4) if rng.random() < 0.5 else f"#{rng.getrandbits(24):06X}"

    def temperature() -> str:
        low = rng.choice((-25, -18, 2, 4, 8, 15))
        return f"{low} °C" if rng.random() < 0.5 else f"{low}…{low + rng.randint(2, 10)} °C"

    def url() -> str:
        slug = "-".join(src.text.words(quantity=rng.randint(1, 3))).lower()  # type: ignore[attr-defined]
        return f"https://shop.example.{COUNTRY[locale].lower()}/p/{rng.randint(10000, 999999)}/{slug}"

    return [
        ("order_no", "varchar", next_order, HARD),
        ("invoice_no", "varchar", invoice, HARD),
        ("gtin", "varchar", lambda: gtin14(rng), HARD),
        ("article", "varchar", article, HARD),
        ("amount_text", "varchar", amount_text, HARD),
        ("currency", "varchar", lambda: rng.choice(CURRENCIES4), HARD),
        ("delivery", "varchar", delivery, HARD),
        ("org_no", "varchar", lambda: company_number4(locale, rng), HARD),
        ("legal_name", "varchar", src.legal_name, HARD),
        ("company_plain", "varchar", plain_company, HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS4), HARD),
        ("review", "varchar", src.review, HARD),
        ("description", "varchar", src.description, HARD),
        ("container", "varchar", lambda: container_number(rng), HARD),
        ("gln", "varchar", lambda: gln(rng), HARD),
        ("lei", "varchar", lambda: lei_code(rng), HARD),
        ("un_number", "varchar", lambda: rng.choice(UN_NUMBERS), HARD),
        ("nace", "varchar", lambda: rng.choice(NACE4), HARD),
        ("flight", "varchar", flight, HARD),
        ("colour", "varchar", colour, HARD),
        ("energy", "varchar", lambda: rng.choice(ENERGY4), HARD),
        ("temperature", "varchar", temperature, HARD),
        ("url", "varchar", url, HARD),
        ("status", "varchar", lambda: rng.choice(STATUSES4[lang]), HARD),
    ]


# --- the fifth held-out part -------------------------------------------------------------------------
# Added and committed before the fifth round of tuning (the fourth part's error list was read at the end
# of the fourth round, so it is spent). mimesis again, in six locales that no earlier part and no tuning
# table has had, outside Europe's number plans and identifiers: kk_KZ (Cyrillic), az_AZ (Latin with ə),
# es_MX, pt_BR, en_AU, en_CA. Column names in the language (transliterated for Kazakh) and in a fifth
# opaque scheme (`qk7`, `cv0019`, `h12_e4`); instead of the shop table a `ledger_*` table of hard
# negatives in new shapes: companies' tax and registry numbers with valid check digits (Brazilian CNPJ,
# Australian ABN, Canadian business number, Mexican company RFC, Kazakh BIN, Azerbaijani VÖEN), legal
# names with a legal form and company names without one, bank routing codes (BSB, transit numbers),
# Brazilian NF-e access keys, ISINs, IMO ship numbers, NCM tariff codes, stock tickers, transaction ids
# stored as BIGINT, meter readings, percentages, coupon codes, service-desk tickets, reviews and
# descriptions in the language that mention towns and brands.

HELDOUT5_LOCALES = ("kk_KZ", "az_AZ", "es_MX", "pt_BR", "en_AU", "en_CA")
HELDOUT5_SCHEMES = ("native", "tag")
PARTS["corpus_heldout5"] = (HELDOUT5_LOCALES, HELDOUT5_SCHEMES)
TABLE_KINDS["corpus_heldout5"] = ("people", "ledger")
SEALED_PARTS = ("corpus_heldout5",)  # parts whose per-column error list `--errors` does not print
NATIONAL_ID.update({
    "kk_KZ": "KZ_IIN",  # individual identification number (no recognizer)
    "az_AZ": "AZ_FIN",  # the identity card's personal code, seven characters, no check digit (no recognizer)
    "es_MX": "MX_CURP",  # (no recognizer)
    "pt_BR": "BR_CPF",  # (no recognizer)
    "en_AU": "AU_TFN",  # tax file number (no recognizer)
    "en_CA": "CA_SIN",  # social insurance number (no recognizer)
})
COUNTRY.update({"kk_KZ": "KZ", "az_AZ": "AZ", "es_MX": "MX", "pt_BR": "BR", "en_AU": "AU", "en_CA": "CA"})
TAG_STYLES = ("qk", "cv", "h")  # the fifth held-out part's opaque scheme: qk7, cv0019, h12_e4
NATIONAL_ACCOUNTS.update({"es_MX", "en_AU", "en_CA"})  # no IBAN: the national account number (CLABE, BSB, transit)


def tag_names(rng: random.Random, keys: list[str], table: str) -> dict[str, str]:
    style = rng.choice(TAG_STYLES)
    order = list(range(1, len(keys) + 1))
    rng.shuffle(order)
    if style == "qk":  # two letters of nothing and the position
        return {k: f"{rng.choice(string.ascii_lowercase)}{rng.choice(string.ascii_lowercase)}{n}"
                for k, n in zip(keys, order, strict=True)}
    if style == "cv":
        return {k: f"cv{n:04d}" for k, n in zip(keys, order, strict=True)}
    return {k: f"h{n}_{hashlib.sha256(f'{table}|{k}'.encode()).hexdigest()[:2]}" for k, n in zip(keys, order, strict=True)}


NATIVE.update({
    "kk_KZ": {
        "id": "klient_nomiri", "given": "aty", "family": "tegi", "full_name": "aty_zhoni", "email": "el_poshta",
        "phone": "telefon", "phone_intl": "uyaly_telefon", "phone_num": "telefon_nomiri", "dob": "tugan_kuni",
        "street": "koshe_uy", "address": "mekenzhai", "city": "kala", "postcode": "poshta_indeksi",
        "country": "el", "national_id": "zhsn", "iban": "esepshot", "bic": "bik", "card": "karta_nomiri",
        "card_num": "bank_kartasy", "ip": "ip_mekenzhai", "notes": "eskertpe", "signup": "tirkelgen_kuni",
        "company": "zhumys_beruschi",
        "order_no": "tapsyrys_nomiri", "tax_no": "bsn", "legal_name": "kasiporyn_atauy", "company_plain": "zhetkizushi",
        "routing": "bank_kody", "nfe_key": "shot_faktura_kilti", "isin": "isin", "imo": "keme_imo", "tariff": "tn_ved",
        "ticker": "tiker", "txn_id": "tranzaktsiya_id", "meter": "esepteguish", "rate": "molsherlemesi",
        "coupon": "promokod", "ticket": "otinim_nomiri", "amount_text": "soma", "brand": "brend", "review": "pikir",
        "description": "tauar_sipattamasy", "shipped": "zhiberilgen_kuni", "status": "kuii",
    },
    "az_AZ": {
        "id": "musteri_kodu", "given": "ad", "family": "soyad", "full_name": "soyad_ad_ata_adi", "email": "e_poct",
        "phone": "telefon", "phone_intl": "mobil_nomre", "phone_num": "elaqe_nomresi", "dob": "dogum_tarixi",
        "street": "kuce_ev", "address": "qeydiyyat_unvani", "city": "seher", "postcode": "poct_indeksi",
        "country": "olke", "national_id": "fin_kod", "iban": "hesab_iban", "bic": "swift", "card": "kart_nomresi",
        "card_num": "bank_karti", "ip": "ip_unvan", "notes": "qeyd", "signup": "qeydiyyat_tarixi",
        "company": "is_yeri",
        "order_no": "sifaris_nomresi", "tax_no": "voen", "legal_name": "huquqi_sexs_adi", "company_plain": "tedarukcu",
        "routing": "bank_kodu", "nfe_key": "qaime_acari", "isin": "isin", "imo": "gemi_imo", "tariff": "xf_mn_kodu",
        "ticker": "tiker", "txn_id": "emeliyyat_id", "meter": "sayqac", "rate": "faiz", "coupon": "endirim_kodu",
        "ticket": "muraciet_nomresi", "amount_text": "mebleg", "brand": "marka", "review": "rey",
        "description": "mehsul_tesviri", "shipped": "gonderilme_tarixi", "status": "veziyyet",
    },
    "es_MX": {
        "id": "folio_cliente", "given": "nombres", "family": "apellido_paterno", "full_name": "nombre_completo",
        "email": "correo", "phone": "telefono_fijo", "phone_intl": "celular", "phone_num": "tel_contacto",
        "dob": "fecha_nac", "street": "calle_numero", "address": "domicilio", "city": "municipio",
        "postcode": "codigo_postal", "country": "pais", "national_id": "curp", "iban": "clabe", "bic": "swift",
        "card": "tarjeta", "card_num": "num_tarjeta", "ip": "direccion_ip", "notes": "observaciones",
        "signup": "fecha_alta", "company": "empresa_donde_labora",
        "order_no": "num_pedido", "tax_no": "rfc_empresa", "legal_name": "razon_social", "company_plain": "proveedor",
        "routing": "clave_banco", "nfe_key": "uuid_cfdi", "isin": "isin", "imo": "num_imo", "tariff": "fraccion_arancelaria",
        "ticker": "emisora", "txn_id": "id_transaccion", "meter": "lectura_medidor", "rate": "tasa",
        "coupon": "cupon", "ticket": "num_ticket", "amount_text": "importe", "brand": "marca", "review": "resena",
        "description": "descripcion", "shipped": "fecha_envio", "status": "estatus",
    },
    "pt_BR": {
        "id": "cod_cliente", "given": "primeiro_nome", "family": "sobrenome", "full_name": "nome_completo",
        "email": "email", "phone": "fone", "phone_intl": "whatsapp", "phone_num": "celular_num",
        "dob": "data_nascimento", "street": "logradouro", "address": "endereco_completo", "city": "cidade",
        "postcode": "cep", "country": "pais", "national_id": "cpf", "iban": "conta_iban", "bic": "swift",
        "card": "cartao", "card_num": "num_cartao", "ip": "ip", "notes": "observacao", "signup": "data_cadastro",
        "company": "empregador",
        "order_no": "num_pedido", "tax_no": "cnpj", "legal_name": "razao_social", "company_plain": "fornecedor",
        "routing": "agencia", "nfe_key": "chave_nfe", "isin": "isin", "imo": "imo_navio", "tariff": "ncm",
        "ticker": "codigo_b3", "txn_id": "id_transacao", "meter": "leitura_medidor", "rate": "aliquota",
        "coupon": "cupom", "ticket": "chamado", "amount_text": "valor", "brand": "marca", "review": "avaliacao",
        "description": "descricao_produto", "shipped": "data_envio", "status": "situacao",
    },
    "en_AU": {
        "id": "cust_ref", "given": "given_names", "family": "surname", "full_name": "contact_name",
        "email": "email_addr", "phone": "home_ph", "phone_intl": "mob", "phone_num": "ph_no",
        "dob": "dob", "street": "street_addr", "address": "postal_addr", "city": "suburb",
        "postcode": "postcode", "country": "country", "national_id": "tfn", "iban": "bsb_acct", "bic": "swift",
        "card": "card_no", "card_num": "cc_num", "ip": "ip_addr", "notes": "comments", "signup": "created",
        "company": "employer",
        "order_no": "po_number", "tax_no": "abn", "legal_name": "entity_name", "company_plain": "supplier",
        "routing": "bsb", "nfe_key": "einvoice_id", "isin": "isin", "imo": "vessel_imo", "tariff": "tariff_code",
        "ticker": "asx_code", "txn_id": "txn_id", "meter": "meter_read", "rate": "gst_rate", "coupon": "promo",
        "ticket": "job_no", "amount_text": "amount_inc_gst", "brand": "brand", "review": "feedback",
        "description": "item_desc", "shipped": "dispatched", "status": "state_code",
    },
    "en_CA": {
        "id": "client_no", "given": "first_nm", "family": "last_nm", "full_name": "client_name",
        "email": "e_mail", "phone": "tel_home", "phone_intl": "cell", "phone_num": "tel_no",
        "dob": "birth_dt", "street": "civic_address", "address": "mailing_address", "city": "municipality",
        "postcode": "postal_cd", "country": "ctry", "national_id": "sin", "iban": "bank_acct", "bic": "swift_bic",
        "card": "card_number", "card_num": "cc_no", "ip": "ip_address", "notes": "remarks", "signup": "onboarded",
        "company": "employer_nm",
        "order_no": "so_number", "tax_no": "bn", "legal_name": "legal_nm", "company_plain": "vendor",
        "routing": "transit_no", "nfe_key": "edi_key", "isin": "isin", "imo": "imo_no", "tariff": "hs_code",
        "ticker": "tsx_symbol", "txn_id": "trans_id", "meter": "meter_reading", "rate": "hst_rate",
        "coupon": "promo_cd", "ticket": "case_no", "amount_text": "total_cad", "brand": "brand_nm",
        "review": "review_txt", "description": "prod_desc", "shipped": "ship_dt", "status": "status_cd",
    },
})
NOTES.update({
    "kk": ("Клиент жеткізу мерзімін сұрайды.", "Сәлемдемені көршіге қалдыруға болады.",
           "Шот айдың соңында жіберіледі.", "Тауар қайтарылды, ақша қайтару күтілуде."),
    "az": ("Müştəri çatdırılma tarixini soruşur.", "Bağlamanı qonşuya vermək olar.",
           "Hesab-faktura ayın sonunda göndəriləcək.", "Məhsul qaytarıldı, pulun qaytarılması gözlənilir."),
    "mx": ("El cliente pregunta por la fecha de entrega.", "Dejar el paquete con el vecino.",
           "Factura a fin de mes.", "Producto devuelto, reembolso pendiente."),
    "br": ("Cliente perguntou sobre o prazo de entrega.", "Pode deixar a encomenda com o vizinho.",
           "Boleto enviado no fim do mês.", "Produto devolvido, estorno pendente."),
    "au": ("Customer chasing delivery ETA.", "Leave parcel with neighbour if not home.",
           "Invoice at end of month.", "Item returned, refund pending."),
    "ca": ("Client asked about the delivery date.", "Parcel may be left with the concierge.",
           "Invoice at month end.", "Item returned, credit pending."),
})
MENTIONS.update({
    "kk": (" Байланыс: {email}.", " Мына нөмірге қоңырау шалыңыз: {phone}."),
    "az": (" Əlaqə: {email}.", " Zəng edin: {phone}."),
    "mx": (" Contacto: {email}.", " Marcar al {phone}."),
    "br": (" Contato: {email}.", " Ligar no {phone}."),
    "au": (" Contact: {email}.", " Call back on {phone}."),
    "ca": (" Reach at {email}.", " Call back at {phone}."),
})
DOB_FORMATS.update({"kk": "%d.%m.%Y", "az": "%d.%m.%Y", "mx": "%d/%m/%Y", "br": "%d/%m/%Y", "au": "%d/%m/%Y",
                    "ca": "%Y-%m-%d"})
LEGAL_FORMS.update({
    "kk": ("ЖШС", "АҚ", "ТОО"), "az": ("MMC", "ASC", "QSC"), "mx": ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I."),
    "br": ("Ltda.", "S.A.", "ME", "EIRELI"), "au": ("Pty Ltd", "Ltd", "Pty. Limited"), "ca": ("Inc.", "Ltd.", "Corp.", "ULC"),
})
FOUNDER_FIRMS.update({
    "kk": ("және ұлдары", "Құрылыс", "Сауда", "Групп"), "az": ("və oğulları", "İnşaat", "Ticarət", "Holdinq"),
    "mx": ("e Hijos", "Construcciones", "Comercial", "Grupo"), "br": ("& Filhos", "Construtora", "Comércio", "Grupo"),
    "au": ("& Sons", "Building", "Trading", "Holdings"), "ca": ("& Sons", "Construction", "Trading", "Holdings"),
})
PRODUCTS.update({
    "kk": ("блендер", "шаңсорғыш", "кофе қайнатқыш", "электршәйнек", "үтік", "фен", "тостер", "тоңазытқыш"),
    "az": ("blender", "tozsoran", "qəhvəbişirən", "elektrik çaydanı", "ütü", "fen", "toster", "soyuducu"),
    "mx": ("licuadora", "aspiradora", "cafetera", "hervidor", "plancha", "secadora de pelo", "tostador", "refrigerador"),
    "br": ("liquidificador", "aspirador", "cafeteira", "chaleira elétrica", "ferro de passar", "secador", "torradeira",
           "geladeira"),
    "au": ("stick blender", "vacuum", "coffee machine", "kettle", "iron", "hair dryer", "toaster", "fridge"),
    "ca": ("blender", "vacuum", "coffee maker", "kettle", "steam iron", "hair dryer", "toaster", "refrigerator"),
})
REVIEWS.update({
    "kk": ("{brand} {product} керемет жұмыс істейді, {city} қаласына жеткізу {n} күн алды.",
           "{city} қаласындағы дүкеннен алдым, {brand} әрқашанғыдай сенімді.",
           "Сәлемдеме зақымдалып келді, бірақ {city} дүкені бірден ауыстырды. {brand} ұсынамын.",
           "Бағасына қарай әлсіз {product}, {brand} брендінен көбірек күткем.", "Шулы, бірақ сенімді. Баға {n}/5."),
    "az": ("{brand} {product} əla işləyir, {city} şəhərinə çatdırılma {n} gün çəkdi.",
           "{city} mağazasından aldım, {brand} həmişəki kimi etibarlıdır.",
           "Bağlama zədəli gəldi, amma {city} mağazası dərhal dəyişdi. {brand} tövsiyə edirəm.",
           "Qiymətinə görə zəif {product}, {brand} markasından daha çox gözləyirdim.", "Səs-küylü, amma möhkəm. Qiymət {n}/5."),
    "mx": ("La {product} de {brand} funciona de maravilla, el envío a {city} tardó {n} días.",
           "Comprado en la tienda de {city}, {brand} confiable como siempre.",
           "El paquete llegó golpeado, pero la sucursal de {city} lo cambió luego luego. Recomiendo {brand}.",
           "Una {product} floja para el precio, esperaba más de {brand}.", "Ruidosa pero aguantadora. Calificación {n}/5."),
    "br": ("O {product} da {brand} funciona muito bem, a entrega em {city} levou {n} dias.",
           "Comprei na loja de {city}, a {brand} confiável como sempre.",
           "A encomenda chegou amassada, mas a loja de {city} trocou na hora. Recomendo {brand}.",
           "{product} fraco pelo preço, esperava mais da {brand}.", "Barulhento, mas confiável. Nota {n}/5."),
    "au": ("The {brand} {product} is spot on, delivery to {city} took {n} days.",
           "Picked it up from the {city} store, {brand} reliable as ever.",
           "Box arrived dented but the {city} store swapped it straight away. Would recommend {brand}.",
           "Ordinary {product} for the price, expected more from {brand}.", "Noisy but does the job. {n} stars."),
    "ca": ("The {brand} {product} works great, shipping to {city} took {n} business days.",
           "Bought at the {city} location, {brand} dependable as always.",
           "Package came damaged but the {city} store exchanged it right away. {brand} recommended.",
           "Weak {product} for the price, expected better from {brand}.", "Loud but reliable. {n} out of 5."),
})
DESCRIPTIONS.update({
    "kk": ("{brand} {model} {product}, қуаты {watts} Вт, {city} қаласында жасалған.",
           "{brand} {model}: тот баспайтын болаттан жасалған {product}, кепілдік {n} жыл, сервис {city} қаласында."),
    "az": ("{brand} {model} {product}, gücü {watts} Vt, {city} şəhərində istehsal olunub.",
           "{brand} {model}: paslanmayan poladdan {product}, {n} il zəmanət, {city} servis mərkəzi."),
    "mx": ("{product} {brand} {model}, potencia {watts} W, hecho en {city}.",
           "{brand} {model}: {product} de acero inoxidable, garantía de {n} años, servicio en {city}."),
    "br": ("{product} {brand} {model}, potência {watts} W, fabricado em {city}.",
           "{brand} {model}: {product} em aço inox, garantia de {n} anos, assistência em {city}."),
    "au": ("{brand} {model} {product}, {watts} W, designed in {city}.",
           "{brand} {model}: stainless {product}, {n}-year warranty, service centre in {city}."),
    "ca": ("{brand} {model} {product}, {watts} W, assembled in {city}.",
           "{brand} {model}: stainless steel {product}, {n}-year warranty, service depot in {city}."),
})
# brands of these countries, several named after a founder or a designer's full name
BRANDS5 = ("Bimbo", "Jumex", "Cuervo", "Carolina Herrera", "Havaianas", "Natura", "Osklen", "Alexandre Herchcovitch",
           "Rip Curl", "Akubra", "R.M. Williams", "Zimmermann", "Tim Hortons", "Roots", "Lululemon", "Canada Goose",
           "Rakhat", "Bayan Sulu", "Azersun", "Sevimli Dad", "Oscar de la Renta", "Dan Murphy's", "Herschel",
           "Vicky Form")
MONEY5 = {"kk": "{} ₸", "az": "{} ₼", "mx": "${} MXN", "br": "R$ {}", "au": "A${}", "ca": "C${}"}
STATUSES5 = {
    "kk": ("жаңа", "төленді", "жіберілді", "жеткізілді", "қайтарылды", "бас тартылды"),
    "az": ("yeni", "ödənilib", "göndərilib", "çatdırılıb", "qaytarılıb", "ləğv edilib"),
    "mx": ("NUEVO", "PAGADO", "EN_TRANSITO", "ENTREGADO", "DEVUELTO", "CANCELADO"),
    "br": ("aguardando pagamento", "pago", "em separação", "enviado", "entregue", "cancelado"),
    "au": ("NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT"),
    "ca": ("OPEN", "PAID", "SHIPPED", "DELIVERED", "RMA", "VOID"),
}
TICKERS5 = ("PETR4", "VALE3", "ITUB4", "WALMEX*", "GFNORTEO", "CEMEXCPO", "BHP", "CBA", "WES", "RY", "TD", "SHOP",
            "KSPI", "HSBK", "KZTO")
NCM5 = ("8471.30.12", "8516.71.00", "8509.40.10", "0901.21.00", "6403.99.90", "8418.10.00")


def kz_number(rng: random.Random, body11: str) -> str | None:
    """A Kazakh IIN or BIN: eleven digits and the check digit (weights 1..11, then 3..11,1,2, mod 11)."""
    digits = [int(c) for c in body11]
    check = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, [*range(3, 12), 1, 2], strict=True)) % 11
        if check == 10:
            return None
    return body11 + str(check)


def checksum_id5(locale: str, rng: random.Random) -> str:
    """A person's national identifier of a fifth-held-out locale."""
    from stdnum.au import tfn
    from stdnum.br import cpf
    from stdnum.ca import sin
    from stdnum.mx import curp

    while True:
        born = _birth(rng)
        value: str | None
        if locale == "kk_KZ":
            century = (3 if born.year < 2000 else 5) + rng.randint(0, 1)
            value = kz_number(rng, f"{born:%y%m%d}{century}{_digits(rng, 4)}")
        elif locale == "az_AZ":  # the FIN: seven characters of digits and capitals (no vowels that could be O/I)
            value = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(7))
        elif locale == "es_MX":
            letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
            state = rng.choice(("DF", "JC", "NL", "MC", "PL", "VZ", "GT", "BC"))
            consonants = "".join(rng.choice("BCDFGHJKLMNPQRSTVWXYZ") for _ in range(3))
            homonym = "0" if born.year < 2000 else "A"
            body = f"{letters}{born:%y%m%d}{rng.choice('HM')}{state}{consonants}{homonym}"
            value = _check_digit_loop(body, curp.is_valid)
        elif locale == "pt_BR":
            value = _check_digit_loop(_digits(rng, 9), cpf.is_valid, 2)
            value = value and (f"{value[:3]}.{value[3:6]}.{value[6:9]}-{value[9:]}" if rng.random() < 0.7 else value)
        elif locale == "en_AU":
            value = _check_digit_loop(_digits(rng, 8), tfn.is_valid)
            value = value and (f"{value[:3]} {value[3:6]} {value[6:]}" if rng.random() < 0.5 else value)
        elif locale == "en_CA":
            value = _check_digit_loop(str(rng.choice((1, 2, 3, 4, 5, 6, 7, 9))) + _digits(rng, 7), sin.is_valid)
            value = value and (f"{value[:3]}-{value[3:6]}-{value[6:]}" if rng.random() < 0.6 else value)
        else:
            raise ValueError(locale)
        if value:
            return value


def company_number5(locale: str, rng: random.Random) -> str:
    """A company's tax or registry number of the locale's country with valid check digits: Kazakh BIN,
    Azerbaijani VÖEN (ten digits, legal persons end in 2), Mexican company RFC, Brazilian CNPJ, Australian
    ABN, Canadian business number."""
    from stdnum.au import abn
    from stdnum.br import cnpj
    from stdnum.ca import bn
    from stdnum.mx import rfc

    while True:
        value: str | None
        if locale == "kk_KZ":
            value = kz_number(rng, f"{rng.randint(0, 24):02d}{rng.randint(1, 12):02d}{rng.choice('456')}"
                                   f"{rng.choice('0123')}{_digits(rng, 5)}")
        elif locale == "az_AZ":
            value = f"{rng.randint(1, 99):02d}{_digits(rng, 7)}2"
        elif locale == "es_MX":
            letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
            founded = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 19000))
            body = f"{letters}{founded:%y%m%d}{rng.choice(string.ascii_uppercase)}{rng.randint(1, 9)}"
            value = _check_digit_loop(body, lambda v: rfc.is_valid(v, validate_check_digits=True))
        elif locale == "pt_BR":
            value = _check_digit_loop(_digits(rng, 8) + "0001", cnpj.is_valid, 2)
            value = value and (f"{value[:2]}.{value[2:5]}.{value[5:8]}/{value[8:12]}-{value[12:]}"
                               if rng.random() < 0.7 else value)
        elif locale == "en_AU":
            value = None
            for _ in range(50):
                body = _digits(rng, 9)
                candidate = abn.calc_check_digits(body) + body if hasattr(abn, "calc_check_digits") else None
                if candidate and abn.is_valid(candidate):
                    value = f"{candidate[:2]} {candidate[2:5]} {candidate[5:8]} {candidate[8:]}"
                    break
        elif locale == "en_CA":
            value = _check_digit_loop(str(rng.randint(1, 9)) + _digits(rng, 7), bn.is_valid)
            value = value and (f"{value} {rng.choice(('RT', 'RC', 'RP'))}0001" if rng.random() < 0.6 else value)
        else:
            raise ValueError(locale)
        if value:
            return value


def isin_code(rng: random.Random) -> str:
    from stdnum import isin

    body = rng.choice(("BR", "MX", "AU", "CA", "KZ", "US")) + "".join(
        rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    return _check_digit_loop(body, isin.is_valid) or isin_code(rng)


def imo_number(rng: random.Random) -> str:
    """An IMO ship number: six digits and a check digit (weights 7..2)."""
    body = str(rng.randint(7, 9)) + _digits(rng, 5)
    check = sum(int(d) * w for d, w in zip(body, range(7, 1, -1), strict=True)) % 10
    return f"IMO {body}{check}" if rng.random() < 0.6 else f"{body}{check}"


def nfe_key(rng: random.Random) -> str:
    """A Brazilian electronic invoice's 44-digit access key (mod-11 check digit), in groups of four."""
    body = f"{rng.choice(('35', '33', '31', '41'))}{rng.randint(24, 26)}{rng.randint(1, 12):02d}" + _digits(rng, 14) \
        + "55" + _digits(rng, 3) + _digits(rng, 9) + "1" + _digits(rng, 8)
    weights = [2, 3, 4, 5, 6, 7, 8, 9]
    total = sum(int(d) * weights[i % 8] for i, d in enumerate(reversed(body)))
    check = 11 - total % 11
    value = body + str(0 if check >= 10 else check)
    return " ".join(value[i:i + 4] for i in range(0, 44, 4)) if rng.random() < 0.5 else value


class MimesisSource5(MimesisSource4):
    """The fifth held-out part's generator: mimesis in kk, az, es-mx, pt-br, en-au, en-ca; phones in each
    country's real number plan; national identifiers with their check digits."""

    LOCALES: ClassVar[dict[str, str]] = {
        "kk_KZ": "KK", "az_AZ": "AZ", "es_MX": "ES_MX", "pt_BR": "PT_BR", "en_AU": "EN_AU", "en_CA": "EN_CA",
    }
    LANGS: ClassVar[dict[str, str]] = {"es_MX": "mx", "pt_BR": "br", "en_AU": "au", "en_CA": "ca"}
    CALLING_CODES: ClassVar[dict[str, str]] = {
        "kk_KZ": "7", "az_AZ": "994", "es_MX": "52", "pt_BR": "55", "en_AU": "61", "en_CA": "1",
    }
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {  # national formats, trunk prefix included
        "kk_KZ": ("8 (701) ###-##-##", "8 (777) ### ## ##", "8 (727) ###-##-##", "8705#######", "8 (747) ###-####"),
        "az_AZ": ("050 ### ## ##", "(055) ###-##-##", "070 ### ## ##", "(012) ### ## ##", "051#######"),
        "es_MX": ("55 #### ####", "(33) ####-####", "81 #### ####", "(222) ### ####", "55########"),
        "pt_BR": ("(11) 9####-####", "(21) 9####-####", "(31) 3###-####", "11 9#### ####", "(51) 9########"),
        "en_AU": ("04## ### ###", "(02) 9### ####", "(03) 9### ####", "04########", "(08) 9### ####"),
        "en_CA": ("(416) 9##-####", "604-2##-####", "(514) 8##-####", "1-403-2##-####", "780.4##.####"),
    }
    TRUNK: ClassVar[dict[str, str]] = {"kk_KZ": "8", "az_AZ": "0", "en_AU": "0", "en_CA": "1"}
    IBAN_BBAN: ClassVar[dict[str, int]] = {"kk_KZ": 16, "az_AZ": 24, "pt_BR": 25}

    def _subscriber(self) -> str:
        digits = "".join(c for c in self._national() if c.isdigit())
        trunk = self.TRUNK.get(self.locale, "")
        if self.locale == "en_CA":
            return digits[-10:]
        return digits[len(trunk):] if trunk and digits.startswith(trunk) else digits

    def national_id(self) -> str:
        return checksum_id5(self.locale, self.rng)

    def address(self) -> str:
        street, postcode, city = self.addr.address(), self.addr.postal_code(), self.addr.city()
        if self.locale == "kk_KZ":
            return f"{postcode}, {city} қ., {street}, {self.rng.randint(1, 200)} пәтер"
        if self.locale == "az_AZ":
            return f"{city} ş., {street}, m. {self.rng.randint(1, 200)}, AZ{postcode}"
        if self.locale == "pt_BR":
            return f"{street} - {city}, CEP {postcode}"
        if self.locale in ("en_AU", "en_CA"):
            return f"{street}, {city} {self.addr.state(abbr=True)} {postcode}"
        return f"{street}, C.P. {postcode}, {city}"

    def iban(self) -> str:
        from stdnum import iban as std_iban

        rng = self.rng
        if self.locale == "es_MX":  # CLABE: bank, branch, account and a weighted check digit
            body = rng.choice(("002", "012", "014", "021", "072")) + _digits(rng, 14)
            check = (10 - sum(int(d) * w % 10 for d, w in zip(body, [3, 7, 1] * 6, strict=False)) % 10) % 10
            return body + str(check)
        if self.locale == "en_AU":  # BSB and account number
            return f"{rng.choice(('062', '033', '083', '013'))}-{_digits(rng, 3)} {_digits(rng, rng.choice((8, 9)))}"
        if self.locale == "en_CA":  # institution, transit and account
            return f"{rng.choice(('001', '002', '003', '004', '006'))}-{_digits(rng, 5)}-{_digits(rng, 7)}"
        country = COUNTRY[self.locale]
        bban = _digits(rng, self.IBAN_BBAN[self.locale])
        if country == "AZ":
            bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _digits(rng, 20)
        if country == "BR":
            bban = bban[:23] + rng.choice("CP") + rng.choice("12")
        value = f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"
        return grouped(value) if rng.random() < 0.5 else value

    def brands(self) -> tuple[str, ...]:
        return BRANDS5


def ledger_columns(src: Source, row: list[int]) -> list[Column]:
    """The fifth held-out part's hard negatives, in shapes no earlier part had."""
    assert isinstance(src, MimesisSource5)
    rng = src.rng
    lang = src.lang
    locale = src.locale

    def next_order() -> str:
        row[0] += 1
        return f"{COUNTRY[locale]}-{rng.choice(('PO', 'SO'))}{row[0]:07d}"

    def routing() -> str:
        if locale == "en_AU":
            return f"{rng.choice(('062', '033', '083', '013', '484'))}-{_digits(rng, 3)}"
        if locale == "en_CA":
            return f"{_digits(rng, 5)}-{rng.choice(('001', '002', '003', '004', '006', '815'))}"
        if locale == "pt_BR":
            return f"{_digits(rng, 4)}-{rng.randint(0, 9)}"
        return rng.choice(("002", "012", "014", "021", "072", "KCJBKZKX", "IBAZAZ2X", "AIIBAZ2X"))

    def txn_id() -> int:
        row[0] += rng.randint(1, 40)
        return 73_000_000_000 + row[0] * 977

    def meter() -> str:
        return f"{rng.uniform(100, 99999):.1f} kWh" if rng.random() < 0.6 else f"{rng.randint(100, 99999):06d} m³"

    def rate() -> str:
        value = rng.choice((0, 5, 10, 12, 15, 16, 18, 20))
        return f"{value},00%" if lang in ("br", "mx", "az", "kk") else f"{value}%"

    def coupon() -> str:
        word = rng.choice(("VERANO", "BLACK", "FRETE", "EOFY", "BOXING", "NAURYZ", "NOVRUZ"))
        return f"{word}{rng.randint(10, 70)}" if rng.random() < 0.5 else f"{word}-{rng.choice(string.ascii_uppercase)}{rng.randint(100, 999)}"

    def ticket() -> str:
        return f"{rng.choice(('INC', 'REQ', 'CHG'))}{rng.randint(1, 9999999):07d}"

    def amount_text() -> str:
        whole, cents = f"{rng.uniform(1, 90000):,.2f}".split(".")
        if lang in ("br", "az"):
            whole, decimal = whole.replace(",", "."), ","
        elif lang == "kk":
            whole, decimal = whole.replace(",", " "), ","
        else:
            decimal = "."
        return MONEY5[lang].format(f"{whole}{decimal}{cents}")

    def shipped() -> str:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        return day.strftime(DOB_FORMATS.get(lang, "%d.%m.%Y"))

    return [
        ("order_no", "varchar", next_order, HARD),
        ("tax_no", "varchar", lambda: company_number5(locale, rng), HARD),
        ("legal_name", "varchar", src.legal_name, HARD),
        ("company_plain", "varchar", src.company_name, HARD),
        ("routing", "varchar", routing, HARD),
        ("nfe_key", "varchar", lambda: nfe_key(rng), HARD),
        ("isin", "varchar", lambda: isin_code(rng), HARD),
        ("imo", "varchar", lambda: imo_number(rng), HARD),
        ("tariff", "varchar", lambda: rng.choice(NCM5), HARD),
        ("ticker", "varchar", lambda: rng.choice(TICKERS5), HARD),
        ("txn_id", "bigint", txn_id, HARD),
        ("meter", "varchar", meter, HARD),
        ("rate", "varchar", rate, HARD),
        ("coupon", "varchar", coupon, HARD),
        ("ticket", "varchar", ticket, HARD),
        ("amount_text", "varchar", amount_text, HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS5), HARD),
        ("review", "varchar", src.review, HARD),
        ("description", "varchar", src.description, HARD),
        ("shipped", "varchar", shipped, HARD),
        ("status", "varchar", lambda: rng.choice(STATUSES5[lang]), HARD),
    ]


# --- the sixth held-out part -------------------------------------------------------------------------
# The product's own languages under generators the detector was not tuned on: mimesis (not Faker, the
# training generator) in German, French and Italian, and three EU countries no earlier part had, written
# by hand over Faker's name lists (Romanian) and over name lists alone with hand-made streets and towns
# (Lithuanian, Latvian: Faker has no addresses for them). Column names in the language and in a sixth
# opaque scheme of decoy words (`heron_4`, `basalt`, `tide12`: real words that say nothing of the
# column). Per locale and scheme a people table and an `invoice_*` table of hard negatives in new
# shapes: companies' VAT and registry numbers with valid check digits, SEPA creditor identifiers and
# RF creditor references (mod-97 checked like an IBAN), EORI numbers, barcodes printed in groups like
# phones, amounts in cents as BIGINT, legal names, brands (some eponymous), reviews and descriptions
# that mention towns, bin codes, batch numbers, commit hashes, quantities with units, VAT rates.

HELDOUT6_LOCALES = ("de_DE", "fr_FR", "it_IT", "ro_RO", "lt_LT", "lv_LV")
HELDOUT6_SCHEMES = ("local", "decoy")  # `local`: the language's names, other spellings than training's
PARTS["corpus_heldout6"] = (HELDOUT6_LOCALES, HELDOUT6_SCHEMES)
TABLE_KINDS["corpus_heldout6"] = ("people", "invoice")
# parts whose per-column error list `--errors` does not print: none now, the sixth part's list was read at
# the end of the sixth round (spent); a seventh part must be committed and measured before the next round
SEALED_PARTS: tuple[str, ...] = ()
NATIONAL_ID6 = {
    "de_DE": "DE_TAX_ID", "fr_FR": "FR_NIR", "it_IT": "IT_FISCAL_CODE", "ro_RO": "RO_CNP",
    "lt_LT": "LT_PERSONAL_CODE",  # asmens kodas (no recognizer)
    "lv_LV": "LV_PERSONAL_CODE",  # personas kods (no recognizer)
}
# any national identifier found as the generic entity counts as found (the column is level 4 either way)
GENERIC_NATIONAL_ID = "NATIONAL_ID"
DECOY_WORDS = (
    "heron", "basalt", "tide", "maple", "quartz", "nimbus", "cedar", "orbit", "tundra", "lotus", "comet", "ember",
    "fjord", "granite", "harbor", "kelp", "lagoon", "meadow", "nebula", "oasis", "pebble", "quill", "saffron",
    "thistle", "umber", "vortex", "zephyr", "cobalt", "dune", "falcon", "glacier", "juniper", "kestrel", "lichen",
    "marble", "nectar", "onyx", "prairie", "quasar", "reef", "sierra", "topaz", "walnut", "yarrow", "zinc",
    "acorn", "birch", "canyon", "drift", "flint", "grove", "islet", "karst", "larch", "mesa", "ochre", "pine",
    "ridge", "slate", "upland", "vale", "wren", "alder", "bramble", "cinder", "delta", "estuary", "fern",
)


def decoy_names(rng: random.Random, keys: list[str], table: str) -> dict[str, str]:
    """Real words that say nothing of the column, some with a number (`heron_4`, `basalt`, `tide12`)."""
    words = rng.sample(DECOY_WORDS, len(keys))
    names = {}
    for key, word in zip(keys, words, strict=True):
        style = rng.random()
        names[key] = word if style < 0.4 else f"{word}_{rng.randint(1, 9)}" if style < 0.7 else f"{word}{rng.randint(10, 99)}"
    return names


def _fill(rng: random.Random, mask: str) -> str:
    return "".join(str(rng.randint(0, 9)) if c == "#" else c for c in mask)


def checksum_id6(locale: str, rng: random.Random) -> str:
    """A person's national identifier of a sixth-held-out locale with its check digits."""
    from stdnum.fr import nir
    from stdnum.it import codicefiscale
    from stdnum.lt import asmens
    from stdnum.lv import pvn
    from stdnum.ro import cnp

    while True:
        born = _birth(rng)
        value: str | None
        if locale == "de_DE":
            return de_tax_id(rng)
        if locale == "fr_FR":
            body = f"{rng.choice('12')}{born:%y%m}{rng.randint(1, 95):02d}{_digits(rng, 3)}{rng.randint(1, 999):03d}"
            value = f"{body}{97 - int(body) % 97:02d}"
            if rng.random() < 0.5:
                value = f"{value[0]} {value[1:3]} {value[3:5]} {value[5:7]} {value[7:10]} {value[10:13]} {value[13:]}"
            valid = nir.is_valid(value)
        elif locale == "it_IT":
            consonants = "BCDFGHJKLMNPQRSTVZ"
            month = "ABCDEHLMPRST"[born.month - 1]
            day = born.day + (40 if rng.random() < 0.5 else 0)
            body = "".join(rng.choice(consonants) for _ in range(6)) + f"{born:%y}{month}{day:02d}" \
                + rng.choice("ABCDEFGHILMZ") + _digits(rng, 3)
            value = body + codicefiscale.calc_check_digit(body)
            valid = codicefiscale.is_valid(value)
        elif locale == "ro_RO":
            sex = (1 if born.year < 2000 else 5) + rng.randint(0, 1)
            body = f"{sex}{born:%y%m%d}{rng.randint(1, 46):02d}{rng.randint(1, 999):03d}"
            value = body + cnp.calc_check_digit(body)
            valid = cnp.is_valid(value)
        elif locale == "lt_LT":
            century = (3 if born.year < 2000 else 5) + rng.randint(0, 1)
            value = _check_digit_loop(f"{century}{born:%y%m%d}{_digits(rng, 3)}", asmens.is_valid)
            valid = value is not None
        elif locale == "lv_LV":
            century = 1 if born.year < 2000 else 2
            value = _check_digit_loop(f"{born:%d%m%y}{century}{_digits(rng, 3)}", pvn.is_valid)
            value = value and (f"{value[:6]}-{value[6:]}" if rng.random() < 0.7 else value)
            valid = value is not None
        else:
            raise ValueError(locale)
        if valid and value:
            return value


def company_number6(locale: str, rng: random.Random) -> str:
    """A company's VAT number with valid check digits, with or without its country prefix."""
    from stdnum.de import vat as de_vat
    from stdnum.fr import tva
    from stdnum.it import iva
    from stdnum.lt import pvm
    from stdnum.lv import pvn
    from stdnum.ro import cui

    while True:
        value: str | None
        if locale == "de_DE":
            value = _check_digit_loop(str(rng.randint(1, 9)) + _digits(rng, 7), de_vat.is_valid)
        elif locale == "fr_FR":
            siren = _check_digit_loop(str(rng.randint(3, 9)) + _digits(rng, 7), luhn_valid)
            value = siren and f"{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
            value = value if value and tva.is_valid(value) else None
        elif locale == "it_IT":
            value = _check_digit_loop(_digits(rng, 7) + f"{rng.randint(1, 100):03d}", iva.is_valid)
        elif locale == "ro_RO":
            value = _check_digit_loop(str(rng.randint(1, 4)) + _digits(rng, rng.randint(6, 8)), cui.is_valid)
        elif locale == "lt_LT":
            value, body = None, _digits(rng, 7)  # legal persons: eight digits, a check digit, then 1
            for check in range(10):
                candidate = f"{body}{check}1"
                if pvm.is_valid(candidate):
                    value = candidate
                    break
        elif locale == "lv_LV":
            value = _check_digit_loop(str(rng.randint(4, 9)) + _digits(rng, 9), pvn.is_valid)
        else:
            raise ValueError(locale)
        if value:
            prefix = {"de_DE": "DE", "fr_FR": "FR", "it_IT": "IT", "ro_RO": "RO", "lt_LT": "LT", "lv_LV": "LV"}[locale]
            return f"{prefix}{value}" if rng.random() < 0.6 else value


def luhn_valid(value: str) -> bool:
    return len(value) > 1 and luhn(value[:-1]) == value


def _mod97_check(body: str) -> str:
    """ISO 7064 mod 97-10 check digits of an alphanumeric body that ends in its country or RF and `00`
    (letters as 10..35), as IBANs use."""
    number = "".join(str(int(c, 36)) for c in body)
    return f"{98 - int(number) % 97:02d}"


def sepa_creditor_id(rng: random.Random, country: str) -> str:
    """A SEPA creditor identifier: country, check digits over the national part, a business code."""
    national = _digits(rng, 11) if country in ("DE", "IT") else "".join(
        rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.choice((6, 8, 11))))
    check = _mod97_check(f"{national}{country}00")
    return f"{country}{check}{rng.choice(('ZZZ', '000', 'ZZ1'))}{national}"


def rf_reference(rng: random.Random) -> str:
    """An ISO 11649 structured creditor reference (RF, two check digits, up to 21 characters)."""
    ref = _digits(rng, rng.randint(8, 16))
    value = f"RF{_mod97_check(f'{ref}RF00')}{ref}"
    return grouped(value) if rng.random() < 0.6 else value


def printed_gtin(rng: random.Random, locale: str) -> str:
    """An EAN-13 of the country's GS1 prefix, printed as under a barcode: `4 006381 333931`."""
    prefix = {"de_DE": "40", "fr_FR": "30", "it_IT": "80", "ro_RO": "594", "lt_LT": "477", "lv_LV": "475"}[locale]
    body = prefix + _digits(rng, 12 - len(prefix))
    value = body + _gs1_check(body)
    return f"{value[0]} {value[1:7]} {value[7:]}" if rng.random() < 0.6 else value


LT_STREETS = ("Gedimino", "Vilniaus", "Kauno", "Laisvės", "Savanorių", "Basanavičiaus", "Maironio", "Vytauto",
              "Taikos", "Žalgirio", "Ukmergės", "Pilies", "Didžioji", "Konstitucijos", "Ozo", "Antakalnio",
              "Kalvarijų", "Žirmūnų", "Liepų", "Beržų", "Sodų", "Mokyklos", "Ąžuolų", "Jaunimo", "Parko",
              "Tilto", "Stoties", "Miško", "Pušų", "Kęstučio", "Jonavos", "Šilutės", "Architektų", "Dariaus ir Girėno")
LT_STREET_KINDS = ("g.", "gatvė", "pr.", "al.", "skg.")
LT_TOWNS = ("Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Marijampolė", "Mažeikiai",
            "Jonava", "Utena", "Kėdainiai", "Telšiai", "Tauragė", "Ukmergė", "Visaginas", "Plungė", "Kretinga",
            "Palanga", "Radviliškis", "Druskininkai", "Rokiškis", "Biržai", "Elektrėnai", "Gargždai", "Kuršėnai")
LV_STREETS = ("Brīvības", "Krišjāņa Barona", "Elizabetes", "Tērbatas", "Ģertrūdes", "Lāčplēša", "Dzirnavu",
              "Stabu", "Avotu", "Maskavas", "Daugavpils", "Rīgas", "Skolas", "Dārza", "Liepu", "Ozolu", "Bērzu",
              "Parka", "Meža", "Saules", "Lielā", "Jaunā", "Pils", "Kalna", "Upes", "Ausekļa", "Raiņa",
              "Kārļa Ulmaņa", "Vienības", "Zemitāna", "Valdemāra", "Čiekurkalna")
LV_STREET_KINDS = ("iela", "iela", "iela", "gatve", "bulvāris", "prospekts")
LV_TOWNS = ("Rīga", "Daugavpils", "Liepāja", "Jelgava", "Jūrmala", "Ventspils", "Rēzekne", "Valmiera",
            "Jēkabpils", "Ogre", "Tukums", "Cēsis", "Salaspils", "Kuldīga", "Olaine", "Sigulda", "Talsi",
            "Dobele", "Bauska", "Limbaži", "Madona", "Saldus", "Gulbene", "Aizkraukle", "Ādaži")
RO_COUNTIES = ("Cluj", "Iași", "Timiș", "Brașov", "Constanța", "Dolj", "Bihor", "Argeș", "Prahova", "Suceava",
               "Sibiu", "Mureș", "Bacău", "Galați", "Ilfov")
IT_PROVINCES = ("RM", "MI", "TO", "NA", "PA", "BO", "FI", "BA", "GE", "VE", "VR", "PD", "BS", "BG", "CT")


class Source6(StockValues, Source):
    """The sixth held-out part's generator: mimesis for de/fr/it, Faker's Romanian lists with own
    formats, Faker's Lithuanian and Latvian name lists with hand-made streets and towns; phones in each
    country's number plan; national identifiers and company VAT numbers with their check digits."""

    MIMESIS: ClassVar[dict[str, str]] = {"de_DE": "DE", "fr_FR": "FR", "it_IT": "IT"}
    LANGS: ClassVar[dict[str, str]] = {"de_DE": "de6", "fr_FR": "fr6", "it_IT": "it6", "ro_RO": "ro", "lt_LT": "lt",
                                       "lv_LV": "lv"}
    CALLING_CODES: ClassVar[dict[str, str]] = {
        "de_DE": "49", "fr_FR": "33", "it_IT": "39", "ro_RO": "40", "lt_LT": "370", "lv_LV": "371",
    }
    PHONE_MASKS: ClassVar[dict[str, tuple[str, ...]]] = {  # national formats, trunk prefix included
        "de_DE": ("0151 ########", "0170 #######", "030 ########", "089 #######", "(0221) ######", "0171/#######",
                  "0160-#######"),
        "fr_FR": ("06 ## ## ## ##", "07 ## ## ## ##", "01 ## ## ## ##", "04.##.##.##.##", "06########"),
        "it_IT": ("3## ### ####", "34########", "06 ########", "02 ########", "347-#######", "011 #######"),
        "ro_RO": ("07## ### ###", "0722.###.###", "021 ### ####", "0264 ### ###", "07########"),
        "lt_LT": ("8 6## #####", "(8 5) ### ####", "86#######", "8 (37) ### ###", "8-6##-#####"),
        "lv_LV": ("2# ### ###", "67 ### ###", "2#######", "29 ## ## ##", "63 ## ## ##"),
    }
    TRUNK: ClassVar[dict[str, str]] = {"de_DE": "0", "fr_FR": "0", "ro_RO": "0", "lt_LT": "8"}
    IBAN_BBAN: ClassVar[dict[str, str]] = {  # d digit, a capital, x either
        "de_DE": "d" * 18, "fr_FR": "d" * 10 + "x" * 11 + "dd", "it_IT": "a" + "d" * 10 + "x" * 12,
        "ro_RO": "aaaa" + "x" * 16, "lt_LT": "d" * 16, "lv_LV": "aaaa" + "x" * 13,
    }

    def __init__(self, locale: str, seed: str) -> None:
        super().__init__(locale, seed)
        self.lang = self.LANGS[locale]
        number = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
        self.mimesis = locale in self.MIMESIS
        if self.mimesis:
            from mimesis import Address, Datetime, Finance, Person
            from mimesis.locales import Locale

            loc = getattr(Locale, self.MIMESIS[locale])
            self.person = Person(loc, seed=number)
            self.addr = Address(loc, seed=number + 1)
            self.finance = Finance(loc, seed=number + 2)
            self.datetime = Datetime(loc, seed=number + 4)
        else:
            from faker import Faker

            self.fake = Faker(locale)
            self.fake.seed_instance(number)

    # names
    def given(self) -> str:
        return self.person.first_name() if self.mimesis else self.fake.first_name()

    def family(self) -> str:
        return self.person.last_name() if self.mimesis else self.fake.last_name()

    def full_name(self) -> str:
        given, family = self.given(), self.family()
        style = self.rng.random()
        if self.locale == "fr_FR" and style < 0.4:  # the administrative order: NOM Prénom
            return f"{family.upper()} {given}"
        if self.locale in ("it_IT", "lt_LT") and style < 0.3:  # surname first
            return f"{family} {given}" if self.locale == "it_IT" else f"{family}, {given}"
        return f"{given} {family}"

    def email(self) -> str:
        return self.person.email() if self.mimesis else self.fake.email()

    # phones
    def _national(self) -> str:
        return _fill(self.rng, self.rng.choice(self.PHONE_MASKS[self.locale]))

    def _subscriber(self) -> str:
        digits = "".join(c for c in self._national() if c.isdigit())
        trunk = self.TRUNK.get(self.locale, "")
        return digits[len(trunk):] if trunk and digits.startswith(trunk) else digits

    def phone(self) -> str:
        return self._national()

    def phone_intl(self) -> str:
        digits = self._subscriber()
        code = self.CALLING_CODES[self.locale]
        style = self.rng.random()
        if style < 0.4:
            return f"+{code} {digits[:3]} {digits[3:6]} {digits[6:]}"
        if style < 0.55 and self.locale == "de_DE":
            return f"+{code} (0) {digits[:3]} {digits[3:]}"
        if style < 0.8:
            return f"+{code}{digits}"
        return f"00{code} {digits}"

    def phone_digits(self) -> int:
        return int(self.CALLING_CODES[self.locale] + self._subscriber())

    # dates, identifiers, accounts
    def dob(self) -> dt.date:
        return _birth(self.rng)

    def national_id(self) -> str:
        return checksum_id6(self.locale, self.rng)

    def iban(self) -> str:
        from stdnum import iban as std_iban

        rng = self.rng
        kinds = {"d": string.digits, "a": string.ascii_uppercase, "x": string.ascii_uppercase + string.digits}
        bban = "".join(rng.choice(kinds[k]) for k in self.IBAN_BBAN[self.locale])
        country = COUNTRY[self.locale]
        value = f"{country}{std_iban.calc_check_digits(f'{country}00{bban}')}{bban}"
        return grouped(value) if rng.random() < 0.5 else value

    def bic(self) -> str:
        rng = self.rng
        bank = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
        branch = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(2))
        suffix = "" if rng.random() < 0.6 else "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(3))
        return f"{bank}{COUNTRY[self.locale]}{branch}{suffix}"

    # places
    def _street_name(self) -> str:
        rng = self.rng
        if self.locale == "de_DE":
            return self.addr.address()  # `Salzachstraße 276`
        if self.locale == "fr_FR":
            text = self.addr.address()  # `276 Boulevard Du Preche`
            return text if rng.random() < 0.7 else text.replace(" ", ", ", 1)
        if self.locale == "it_IT":
            return f"{self.addr.street_suffix()} {self.addr.street_name()} {rng.randint(1, 250)}" if rng.random() < 0.7 \
                else f"{self.addr.street_suffix()} {self.addr.street_name()}, {rng.randint(1, 250)}"
        if self.locale == "ro_RO":
            kind = rng.choice(("Str.", "Strada", "Bd.", "Calea", "Aleea"))
            name = self.fake.last_name() if rng.random() < 0.5 else self.fake.street_name().split(" ", 1)[-1]
            text = f"{kind} {name} nr. {rng.randint(1, 180)}"
            return text + (f", bl. {rng.choice('ABCDEFG')}{rng.randint(1, 9)}, ap. {rng.randint(1, 80)}"
                           if rng.random() < 0.4 else "")
        if self.locale == "lt_LT":
            number = f"{rng.randint(1, 120)}" + (f"-{rng.randint(1, 90)}" if rng.random() < 0.5 else "")
            return f"{rng.choice(LT_STREETS)} {rng.choice(LT_STREET_KINDS)} {number}"
        number = f"{rng.randint(1, 120)}" + (f"-{rng.randint(1, 90)}" if rng.random() < 0.5 else "")
        return f"{rng.choice(LV_STREETS)} {rng.choice(LV_STREET_KINDS)} {number}"

    def street(self) -> str:
        return self._street_name()

    def city(self) -> str:
        if self.mimesis:
            return self.addr.city()
        if self.locale == "ro_RO":
            return self.fake.city()
        return self.rng.choice(LT_TOWNS if self.locale == "lt_LT" else LV_TOWNS)

    def postcode(self) -> str:
        rng = self.rng
        if self.mimesis:
            return self.addr.postal_code()
        if self.locale == "ro_RO":
            return self.fake.postcode()
        if self.locale == "lt_LT":
            return f"LT-{_digits(rng, 5)}" if rng.random() < 0.6 else _digits(rng, 5)
        return f"LV-{rng.randint(1001, 5799)}"

    def address(self) -> str:
        rng = self.rng
        street, postcode, city = self._street_name(), self.postcode(), self.city()
        if self.locale == "de_DE":
            return f"{street}, {postcode} {city}" if rng.random() < 0.6 else f"{street}\n{postcode} {city}"
        if self.locale == "fr_FR":
            return f"{street}, {postcode} {city.upper() if rng.random() < 0.5 else city}"
        if self.locale == "it_IT":
            return f"{street}, {postcode} {city} ({rng.choice(IT_PROVINCES)})"
        if self.locale == "ro_RO":
            return f"{street}, {city}, jud. {rng.choice(RO_COUNTIES)}, {postcode}"
        if self.locale == "lt_LT":
            return f"{street}, {postcode if postcode.startswith('LT') else 'LT-' + postcode} {city}"
        return f"{street}, {city}, {postcode}"

    # companies and the invoice table's words
    def company(self) -> str:
        if self.mimesis:
            return self.finance.company()
        # Faker's Romanian, Lithuanian and Latvian companies are lists of surnames ("A, B and C"): a
        # company is written here as the country writes one, a legal form and a trade name
        stem, form = self.rng.choice(COMPANY_STEMS6[self.lang]), self.rng.choice(LEGAL_FORMS[self.lang])
        return f'{form} "{stem}"' if self.lang == "lt" or self.rng.random() < 0.4 else f"{stem} {form}"

    def family_name(self) -> str:
        return self.family()

    def company_name(self) -> str:
        return self.finance.company() if self.mimesis else self.rng.choice(COMPANY_STEMS6[self.lang])

    def town(self) -> str:
        return self.city()

    def brands(self) -> tuple[str, ...]:
        return BRANDS6


COUNTRY.update({"lt_LT": "LT", "lv_LV": "LV", "ro_RO": "RO"})
# brands of these countries, some named after a founder or a designer
BRANDS6 = ("Jil Sander", "Yves Saint Laurent", "Salvatore Ferragamo", "Dr. Oetker", "Haribo", "Tchibo", "Lavazza",
           "Kinder", "Dacia", "Ursus", "Borsec", "Laima", "Švyturys", "Rimi", "Vichy", "Le Creuset", "Bonne Maman",
           "Ermenegildo Zegna", "Nivea", "Kärcher", "Smeg", "Alessi", "Aqua Carpatica", "Elkoplast")
NATIONAL_ID.update(NATIONAL_ID6)
NATIVE6 = {  # the sixth part's `local` scheme: the language's names, other spellings than the training tables'
    "de_DE": {
        "id": "debitor_nr", "given": "rufname", "family": "familienname", "full_name": "kontoinhaber",
        "email": "mailadresse", "phone": "festnetz", "phone_intl": "mobilnummer", "phone_num": "rufnummer",
        "dob": "geb_datum", "street": "strasse_hausnr", "address": "postanschrift", "city": "wohnort",
        "postcode": "postleitzahl", "country": "staat", "national_id": "steuerliche_idnr", "iban": "bankverbindung",
        "bic": "swift_code", "card": "kartennr", "card_num": "pan_nummer", "ip": "client_ip", "notes": "notiz",
        "signup": "registriert_seit", "company": "firma",
        "invoice_no": "rechnungsnummer", "vat_no": "ust_idnr", "company_reg": "handelsregister_nr",
        "legal_name": "firmierung", "company_plain": "lieferant", "creditor_id": "glaeubiger_id",
        "payment_ref": "zahlungsreferenz", "eori": "eori_nr", "amount_text": "betrag_brutto",
        "amount_cents": "betrag_cent", "brand": "hersteller_marke", "review": "kundenbewertung",
        "description": "artikeltext", "delivered": "lieferdatum", "status": "bearbeitungsstand",
        "bin_code": "lagerplatz", "batch": "charge", "commit_sha": "build_hash", "quantity": "liefermenge",
        "vat_rate": "mwst_satz", "gtin_printed": "gtin", "created": "erfasst_am",
    },
    "fr_FR": {
        "id": "num_adherent", "given": "prenom_usuel", "family": "nom_de_famille", "full_name": "titulaire",
        "email": "adresse_mail", "phone": "tel_fixe", "phone_intl": "tel_mobile", "phone_num": "numero_appel",
        "dob": "ne_le", "street": "voie", "address": "adresse_complete", "city": "commune", "postcode": "cp",
        "country": "pays_residence", "national_id": "nir", "iban": "rib_iban", "bic": "code_bic",
        "card": "carte", "card_num": "numero_cb", "ip": "ip_connexion", "notes": "observations",
        "signup": "date_inscription", "company": "societe",
        "invoice_no": "num_facture", "vat_no": "tva_intracom", "company_reg": "siret", "legal_name": "raison_sociale",
        "company_plain": "prestataire", "creditor_id": "ics", "payment_ref": "reference_paiement",
        "eori": "numero_eori", "amount_text": "montant_ttc", "amount_cents": "montant_centimes",
        "brand": "marque_produit", "review": "avis_client", "description": "fiche_produit", "delivered": "livre_le",
        "status": "etat", "bin_code": "emplacement", "batch": "lot", "commit_sha": "version_build",
        "quantity": "qte", "vat_rate": "taux_tva", "gtin_printed": "gencod", "created": "cree_le",
    },
    "it_IT": {
        "id": "codice_anagrafica", "given": "nome_proprio", "family": "cognome_cliente", "full_name": "intestatario",
        "email": "indirizzo_email", "phone": "tel_fisso", "phone_intl": "cell", "phone_num": "recapito_tel",
        "dob": "nato_il", "street": "via", "address": "indirizzo_residenza", "city": "comune",
        "postcode": "codice_postale", "country": "nazione", "national_id": "cod_fisc", "iban": "coordinate_bancarie",
        "bic": "codice_swift", "card": "carta_credito", "card_num": "pan", "ip": "ip_accesso", "notes": "annotazioni",
        "signup": "data_iscrizione", "company": "azienda",
        "invoice_no": "numero_fattura", "vat_no": "partita_iva", "company_reg": "numero_rea",
        "legal_name": "ragione_sociale", "company_plain": "fornitore", "creditor_id": "codice_creditore_sepa",
        "payment_ref": "riferimento_pagamento", "eori": "codice_eori", "amount_text": "importo_ivato",
        "amount_cents": "importo_centesimi", "brand": "marchio", "review": "recensione",
        "description": "scheda_articolo", "delivered": "data_consegna", "status": "stato_pratica",
        "bin_code": "ubicazione", "batch": "lotto", "commit_sha": "hash_build", "quantity": "quantita",
        "vat_rate": "aliquota_iva", "gtin_printed": "codice_ean", "created": "creato_il",
    },
    "ro_RO": {
        "id": "cod_client", "given": "prenume", "family": "nume_familie", "full_name": "nume_complet",
        "email": "adresa_email", "phone": "telefon_fix", "phone_intl": "telefon_mobil", "phone_num": "nr_telefon",
        "dob": "data_nasterii", "street": "strada_nr", "address": "adresa_domiciliu", "city": "localitate",
        "postcode": "cod_postal", "country": "tara", "national_id": "cnp", "iban": "cont_iban", "bic": "cod_swift",
        "card": "numar_card", "card_num": "card_bancar", "ip": "adresa_ip", "notes": "mentiuni",
        "signup": "data_inregistrare", "company": "angajator",
        "invoice_no": "numar_factura", "vat_no": "cod_fiscal", "company_reg": "nr_reg_com",
        "legal_name": "denumire_firma", "company_plain": "furnizor", "creditor_id": "id_creditor",
        "payment_ref": "referinta_plata", "eori": "cod_eori", "amount_text": "total_cu_tva",
        "amount_cents": "suma_bani", "brand": "marca", "review": "recenzie", "description": "descriere_produs",
        "delivered": "data_livrarii", "status": "stare", "bin_code": "locatie_depozit", "batch": "lot_productie",
        "commit_sha": "versiune_hash", "quantity": "cantitate", "vat_rate": "cota_tva", "gtin_printed": "cod_bare",
        "created": "creat_la",
    },
    "lt_LT": {
        "id": "kliento_nr", "given": "vardas", "family": "pavarde", "full_name": "vardas_pavarde",
        "email": "el_pastas", "phone": "telefonas", "phone_intl": "mobilusis", "phone_num": "tel_numeris",
        "dob": "gimimo_data", "street": "gatve_namas", "address": "adresas", "city": "miestas",
        "postcode": "pasto_kodas", "country": "salis", "national_id": "asmens_kodas", "iban": "saskaitos_nr",
        "bic": "banko_kodas", "card": "korteles_nr", "card_num": "mokejimo_kortele", "ip": "ip_adresas",
        "notes": "pastabos", "signup": "registracijos_data", "company": "darbdavys",
        "invoice_no": "saskaitos_faktura", "vat_no": "pvm_kodas", "company_reg": "imones_kodas",
        "legal_name": "imones_pavadinimas", "company_plain": "tiekejas", "creditor_id": "kreditoriaus_id",
        "payment_ref": "imokos_kodas", "eori": "eori_kodas", "amount_text": "suma_su_pvm",
        "amount_cents": "suma_centais", "brand": "prekes_zenklas", "review": "atsiliepimas",
        "description": "prekes_aprasymas", "delivered": "pristatymo_data", "status": "busena",
        "bin_code": "sandelio_vieta", "batch": "partija", "commit_sha": "versijos_hash", "quantity": "kiekis",
        "vat_rate": "pvm_tarifas", "gtin_printed": "bruksninis_kodas", "created": "sukurta",
    },
    "lv_LV": {
        "id": "klienta_nr", "given": "vards", "family": "uzvards", "full_name": "vards_uzvards",
        "email": "e_pasts", "phone": "talrunis", "phone_intl": "mobilais", "phone_num": "talr_nr",
        "dob": "dzimsanas_datums", "street": "iela_maja", "address": "adrese", "city": "pilseta",
        "postcode": "pasta_indekss", "country": "valsts", "national_id": "personas_kods", "iban": "konta_nr",
        "bic": "bankas_kods", "card": "kartes_nr", "card_num": "maksajumu_karte", "ip": "ip_adrese",
        "notes": "piezimes", "signup": "registracijas_datums", "company": "darba_devejs",
        "invoice_no": "rekina_nr", "vat_no": "pvn_nr", "company_reg": "registracijas_nr",
        "legal_name": "uznemuma_nosaukums", "company_plain": "piegadatajs", "creditor_id": "kreditora_id",
        "payment_ref": "maksajuma_merkis", "eori": "eori_nr", "amount_text": "summa_ar_pvn",
        "amount_cents": "summa_centos", "brand": "zimols", "review": "atsauksme", "description": "preces_apraksts",
        "delivered": "piegades_datums", "status": "statuss", "bin_code": "noliktavas_vieta", "batch": "partija",
        "commit_sha": "versijas_hash", "quantity": "daudzums", "vat_rate": "pvn_likme",
        "gtin_printed": "svitrkods", "created": "izveidots",
    },
}
NOTES.update({
    "de6": ("Kunde bittet um Rückruf wegen der Lieferung.", "Paket bitte beim Nachbarn abgeben.",
            "Rechnung kommt zum Monatsende.", "Ware retourniert, Gutschrift offen."),
    "fr6": ("Le client demande un rappel pour la livraison.", "Colis à déposer chez le gardien.",
            "Facture en fin de mois.", "Article retourné, avoir en attente."),
    "it6": ("Il cliente chiede di essere richiamato per la consegna.", "Lasciare il pacco in portineria.",
            "Fattura a fine mese.", "Merce resa, nota di credito in sospeso."),
    "ro": ("Clientul cere să fie sunat pentru livrare.", "Coletul poate fi lăsat la vecini.",
           "Factura se emite la sfârșitul lunii.", "Produs returnat, rambursare în așteptare."),
    "lt": ("Klientas prašo paskambinti dėl pristatymo.", "Siuntinį galima palikti kaimynams.",
           "Sąskaita bus išrašyta mėnesio pabaigoje.", "Prekė grąžinta, laukiama pinigų grąžinimo."),
    "lv": ("Klients lūdz atzvanīt par piegādi.", "Sūtījumu var atstāt pie kaimiņiem.",
           "Rēķins tiks izrakstīts mēneša beigās.", "Prece atgriezta, gaida naudas atmaksu."),
})
MENTIONS.update({
    "de6": (" Erreichbar unter {email}.", " Rückruf bitte unter {phone}."),
    "fr6": (" Joignable à {email}.", " Rappeler au {phone}."),
    "it6": (" Scrivere a {email}.", " Richiamare al {phone}."),
    "ro": (" Contact: {email}.", " Sunați la {phone}."),
    "lt": (" Kontaktai: {email}.", " Skambinti {phone}."),
    "lv": (" Kontakti: {email}.", " Zvanīt {phone}."),
})
DOB_FORMATS.update({"de6": "%d.%m.%Y", "fr6": "%d/%m/%Y", "ro": "%d.%m.%Y", "lt": "%Y-%m-%d", "lv": "%d.%m.%Y"})
DOB_AS_DATE = (*DOB_AS_DATE, "it6")
LEGAL_FORMS.update({
    "de6": ("GmbH", "GmbH & Co. KG", "AG", "UG (haftungsbeschränkt)", "e.K."), "fr6": ("SARL", "SAS", "SA", "EURL"),
    "it6": ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s."), "ro": ("SRL", "SA", "PFA"), "lt": ("UAB", "AB", "MB"),
    "lv": ("SIA", "AS", "IK"),
})
FOUNDER_FIRMS.update({
    "de6": ("& Söhne", "Bau", "Handel", "Holding"), "fr6": ("& Fils", "Bâtiment", "Négoce", "Groupe"),
    "it6": ("& Figli", "Costruzioni", "Commercio", "Holding"), "ro": ("& Fiii", "Construct", "Comerț", "Grup"),
    "lt": ("ir sūnūs", "statyba", "prekyba", "grupė"), "lv": ("un dēli", "būve", "tirdzniecība", "grupa"),
})
PRODUCTS.update({
    "de6": ("Stabmixer", "Staubsauger", "Kaffeevollautomat", "Wasserkocher", "Dampfbügeleisen", "Föhn", "Toaster",
            "Kühlschrank"),
    "fr6": ("mixeur plongeant", "aspirateur", "machine à café", "bouilloire", "fer à repasser", "sèche-cheveux",
            "grille-pain", "réfrigérateur"),
    "it6": ("frullatore", "aspirapolvere", "macchina da caffè", "bollitore", "ferro da stiro", "asciugacapelli",
            "tostapane", "frigorifero"),
    "ro": ("blender", "aspirator", "espressor", "fierbător", "fier de călcat", "uscător de păr", "prăjitor de pâine",
           "frigider"),
    "lt": ("trintuvas", "dulkių siurblys", "kavos aparatas", "virdulys", "lygintuvas", "plaukų džiovintuvas",
           "skrudintuvas", "šaldytuvas"),
    "lv": ("blenderis", "putekļsūcējs", "kafijas automāts", "tējkanna", "gludeklis", "fēns", "tosteris", "ledusskapis"),
})
REVIEWS.update({
    "de6": ("Der {product} von {brand} läuft super, Versand nach {city} dauerte {n} Tage.",
            "In der Filiale {city} gekauft, {brand} wie immer zuverlässig.",
            "Karton kam beschädigt an, die Filiale in {city} hat sofort getauscht. {brand} empfehlenswert.",
            "Schwacher {product} für den Preis, von {brand} hätte ich mehr erwartet.", "Laut, aber robust. {n} Sterne."),
    "fr6": ("Le {product} {brand} fonctionne très bien, livraison à {city} en {n} jours.",
            "Acheté au magasin de {city}, {brand} toujours fiable.",
            "Colis abîmé mais le magasin de {city} l'a échangé tout de suite. Je recommande {brand}.",
            "{product} décevant pour le prix, j'attendais mieux de {brand}.", "Bruyant mais solide. {n}/5."),
    "it6": ("Il {product} {brand} funziona benissimo, consegna a {city} in {n} giorni.",
            "Comprato nel negozio di {city}, {brand} affidabile come sempre.",
            "Pacco arrivato ammaccato, ma il negozio di {city} l'ha sostituito subito. Consiglio {brand}.",
            "{product} deludente per il prezzo, mi aspettavo di più da {brand}.", "Rumoroso ma robusto. Voto {n}/5."),
    "ro": ("{product} {brand} merge foarte bine, livrarea în {city} a durat {n} zile.",
           "Cumpărat din magazinul din {city}, {brand} de încredere ca întotdeauna.",
           "Coletul a venit lovit, dar magazinul din {city} l-a schimbat imediat. Recomand {brand}.",
           "{product} slab pentru preț, mă așteptam la mai mult de la {brand}.", "Zgomotos, dar rezistent. Nota {n}/5."),
    "lt": ("{brand} {product} veikia puikiai, pristatymas į {city} užtruko {n} d.",
           "Pirkau {city} parduotuvėje, {brand} patikimas kaip visada.",
           "Siuntinys atkeliavo apdaužytas, bet {city} parduotuvė iškart pakeitė. Rekomenduoju {brand}.",
           "Silpnas {product} už tokią kainą, iš {brand} tikėjausi daugiau.", "Triukšmingas, bet tvirtas. {n}/5."),
    "lv": ("{brand} {product} strādā lieliski, piegāde uz {city} aizņēma {n} dienas.",
           "Pirku {city} veikalā, {brand} uzticams kā vienmēr.",
           "Paka atnāca bojāta, bet {city} veikals uzreiz apmainīja. Iesaku {brand}.",
           "Vājš {product} par šādu cenu, no {brand} gaidīju vairāk.", "Trokšņains, bet izturīgs. {n}/5."),
})
DESCRIPTIONS.update({
    "de6": ("{brand} {model} {product}, {watts} W, entwickelt in {city}.",
            "{brand} {model}: {product} aus Edelstahl, {n} Jahre Garantie, Service in {city}."),
    "fr6": ("{product} {brand} {model}, {watts} W, conçu à {city}.",
            "{brand} {model} : {product} en inox, garantie {n} ans, SAV à {city}."),
    "it6": ("{product} {brand} {model}, {watts} W, progettato a {city}.",
            "{brand} {model}: {product} in acciaio inox, garanzia {n} anni, assistenza a {city}."),
    "ro": ("{product} {brand} {model}, {watts} W, proiectat la {city}.",
           "{brand} {model}: {product} din inox, garanție {n} ani, service în {city}."),
    "lt": ("{brand} {model} {product}, {watts} W, sukurta {city}.",
           "{brand} {model}: nerūdijančio plieno {product}, {n} m. garantija, servisas {city}."),
    "lv": ("{brand} {model} {product}, {watts} W, izstrādāts {city}.",
           "{brand} {model}: nerūsējošā tērauda {product}, {n} gadu garantija, serviss {city}."),
})
STATUSES6 = {
    "de6": ("offen", "bezahlt", "versendet", "zugestellt", "storniert", "gemahnt"),
    "fr6": ("en attente", "payée", "expédiée", "livrée", "annulée", "relancée"),
    "it6": ("aperta", "pagata", "spedita", "consegnata", "annullata", "sollecitata"),
    "ro": ("deschisă", "plătită", "expediată", "livrată", "anulată", "restantă"),
    "lt": ("atvira", "apmokėta", "išsiųsta", "pristatyta", "atšaukta", "vėluojanti"),
    "lv": ("atvērts", "apmaksāts", "nosūtīts", "piegādāts", "atcelts", "kavēts"),
}
COMPANY_STEMS6 = {
    "ro": ("Carpați Logistic", "Construct Nord", "Dunărea Trans", "Agro Banat", "Tehnologii Avansate", "Lactate Moldova",
           "Energie Verde", "Mobila Transilvania", "Pâine Caldă", "Auto Sud", "Farmacia Centrală", "Vinuri Dealu Mare"),
    "lt": ("Baltijos prekyba", "Statybų sprendimai", "Vilniaus duona", "Šiaurės logistika", "Žalia energija",
           "Medienos centras", "Nemuno vaistinė", "Kauno tiltai", "Technologijų parkas", "Gintaro kelias",
           "Pajūrio žuvis", "Aukštaitijos pienas"),
    "lv": ("Baltijas loģistika", "Rīgas piens", "Zaļā enerģija", "Būvniecības centrs", "Daugavas tilti",
           "Meža produkti", "Ziemeļu tehnoloģijas", "Latvijas maiznīca", "Dzintara ceļš", "Kurzemes ostas",
           "Vidzemes aptieka", "Jūras zivis"),
}
UNITS6 = {"de6": "Stk.", "fr6": "pcs", "it6": "pz", "ro": "buc.", "lt": "vnt.", "lv": "gab."}
VAT_RATES6 = {"de6": (19, 7), "fr6": (20, 10, 5.5), "it6": (22, 10, 4), "ro": (19, 9, 5), "lt": (21, 9, 5),
              "lv": (21, 12, 5)}


def invoice_columns(src: Source, row: list[int]) -> list[Column]:
    """The sixth held-out part's hard negatives, in shapes no earlier part had."""
    assert isinstance(src, Source6)
    rng = src.rng
    lang = src.lang
    locale = src.locale
    country = COUNTRY[locale]

    def invoice_no() -> str:
        row[0] += 1
        return rng.choice((f"RE-2025-{row[0]:06d}", f"FA25/{row[0]:05d}", f"FT 2025/{row[0]}", f"INV{row[0]:07d}"))

    def company_reg() -> str:
        from stdnum.fr import siret

        if locale == "de_DE":
            return f"{rng.choice(('HRB', 'HRA'))} {rng.randint(1000, 250000)}{rng.choice(('', ' B', ' HB'))}"
        if locale == "fr_FR":
            while True:
                value = _check_digit_loop(str(rng.randint(3, 9)) + _digits(rng, 7), luhn_valid)
                full = value and _check_digit_loop(value + _digits(rng, 4), luhn_valid)
                if full and siret.is_valid(full):
                    return full if rng.random() < 0.5 else f"{full[:3]} {full[3:6]} {full[6:9]} {full[9:]}"
        if locale == "it_IT":
            return f"{rng.choice(IT_PROVINCES)}-{rng.randint(100000, 2500000)}"
        if locale == "ro_RO":
            return f"J{rng.randint(1, 52):02d}/{rng.randint(1, 9999)}/{rng.randint(1991, 2025)}"
        if locale == "lt_LT":
            return f"{rng.choice('13')}{_digits(rng, 8)}"
        return f"4000{_digits(rng, 7)}"

    def eori() -> str:
        return f"{country}{_digits(rng, rng.choice((9, 12, 15)))}"

    def amount_text() -> str:
        whole, cents = f"{rng.uniform(1, 90000):,.2f}".split(".")
        sep = " " if lang in ("fr6", "lt", "lv") else "."
        whole = whole.replace(",", sep)
        currency = "Lei" if lang == "ro" else "€"
        return f"{whole},{cents} {currency}" if rng.random() < 0.7 else f"{currency} {whole},{cents}"

    def amount_cents() -> int:
        return rng.randint(100, 9_999_999)

    def delivered() -> str:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        return day.strftime(DOB_FORMATS.get(lang, "%d/%m/%Y"))

    def bin_code() -> str:
        return rng.choice((f"{rng.choice('ABCDEF')}-{rng.randint(1, 40):02d}-{rng.randint(1, 9):02d}",
                           f"R{rng.randint(1, 20):02d}-S{rng.randint(1, 9)}-F{rng.randint(1, 6)}"))

    def batch() -> str:
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        return rng.choice((f"L{day:%y%m%d}{rng.randint(1, 9)}", f"CH-{day:%y%m%d}-{rng.randint(1, 99):02d}"))

    def commit_sha() -> str:
        return f"{rng.getrandbits(28):07x}"

    def quantity() -> str:
        return f"{rng.randint(1, 500)} {UNITS6[lang]}"

    def vat_rate() -> str:
        value = rng.choice(VAT_RATES6[lang])
        return f"{value} %".replace(".", ",") if lang in ("de6", "fr6") else f"{value}%"

    def created() -> dt.datetime:
        return dt.datetime(2025, 1, 1) + dt.timedelta(seconds=rng.randint(0, 86400 * 600))

    return [
        ("invoice_no", "varchar", invoice_no, HARD),
        ("vat_no", "varchar", lambda: company_number6(locale, rng), HARD),
        ("company_reg", "varchar", company_reg, HARD),
        ("legal_name", "varchar", src.legal_name, HARD),
        ("company_plain", "varchar", src.company_name, HARD),
        ("creditor_id", "varchar", lambda: sepa_creditor_id(rng, country), HARD),
        ("payment_ref", "varchar", lambda: rf_reference(rng), HARD),
        ("eori", "varchar", eori, HARD),
        ("amount_text", "varchar", amount_text, HARD),
        ("amount_cents", "bigint", amount_cents, HARD),
        ("brand", "varchar", lambda: rng.choice(BRANDS6), HARD),
        ("review", "varchar", src.review, HARD),
        ("description", "varchar", src.description, HARD),
        ("delivered", "varchar", delivered, HARD),
        ("status", "varchar", lambda: rng.choice(STATUSES6[lang]), HARD),
        ("bin_code", "varchar", bin_code, HARD),
        ("batch", "varchar", batch, HARD),
        ("commit_sha", "varchar", commit_sha, HARD),
        ("quantity", "varchar", quantity, HARD),
        ("vat_rate", "varchar", vat_rate, HARD),
        ("gtin_printed", "varchar", lambda: printed_gtin(rng, locale), HARD),
        ("created", "timestamp", created, HARD),
    ]
