"""Generate the raw layer in DuckDB, deterministically, with SQL (fast at tens of millions of rows).

Shop tables arrive as Qlik Replicate "store changes" tables (``raw.shop_<table>__ct``): one row per
change with the Qlik header columns, ``I``/``U``/``D`` operations and ``B`` before-images. The first
load (batch 0) writes two years of history; each later batch appends new rows, updates (with
before-images), deletes and late-arriving changes whose ``header__timestamp`` is older than the
change they follow but whose ``header__change_seq`` is newer (the sequence is the order that counts).

What the generator knows about a shop table is in one `TableSpec` (``SHOP_SPECS``): its columns
with their types (the DDL is built from them), the SQL computing its values, the shape of its
history and of a batch's new rows, the columns an update keeps, its creation column, whether
batches delete rows. The code that writes change rows is the same for every table.

Values depend only on (seed, key, version), so the same seed and as-of time give the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from raw_loader import pools

RAW_SCHEMA = "raw"
CHANGE_ROWS_PER_CUSTOMER = 35.7  # measured average of the first load, for --change-rows
HISTORY_DAYS = 730
BATCH_VERSION_BASE = 10  # versions of batch b are BATCH_VERSION_BASE + b


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    constraint: str = ""  # e.g. "not null", "primary key"

    @property
    def ddl(self) -> str:
        return f"{self.name} {self.type} {self.constraint}".rstrip()


def column_list_ddl(columns: tuple[Column, ...]) -> str:
    return ", ".join(column.ddl for column in columns)


# Qlik Replicate's header, the first columns of every change table
HEADER_COLUMNS = (
    Column("header__change_seq", "varchar", "not null"),
    Column("header__change_oper", "varchar"),
    Column("header__change_mask", "varchar"),
    Column("header__stream_position", "varchar"),
    Column("header__operation", "varchar"),
    Column("header__transaction_id", "varchar"),
    Column("header__timestamp", "timestamp"),
)

SUPPORT_TICKET_COLUMNS = (
    Column("id", "bigint"), Column("payload", "json"), Column("_batch_id", "integer"),
    Column("_loaded_at", "timestamp"),
)

AD_SPEND_COLUMNS = (
    Column("spend_date", "date"), Column("channel", "varchar"), Column("campaign_id", "varchar"),
    Column("campaign_name", "varchar"), Column("spend_amount", "decimal(12, 2)"), Column("currency", "varchar"),
    Column("impressions", "bigint"), Column("clicks", "bigint"), Column("_file_name", "varchar"),
    Column("_loaded_at", "timestamp"),
)

PRESCRIPTION_COLUMNS = (
    Column("prescription_id", "bigint"), Column("customer_id", "bigint"), Column("prescriber_name", "varchar"),
    Column("prescriber_license", "varchar"), Column("medication", "varchar"), Column("quantity", "integer"),
    Column("note", "varchar"), Column("prescribed_at", "timestamp"), Column("dispensed_at", "timestamp"),
    Column("_file_name", "varchar"), Column("_loaded_at", "timestamp"),
)
PHARMACY_TABLE = "pharmacy_prescriptions"

LOAD_BATCH_COLUMNS = (
    Column("batch_id", "integer", "primary key"), Column("seed", "integer"), Column("customers", "bigint"),
    Column("as_of", "timestamp"), Column("captured_from", "timestamp"), Column("captured_to", "timestamp"),
    Column("change_rows", "bigint"), Column("loaded_at", "timestamp"),
)


@dataclass(frozen=True)
class Scale:
    customers: int

    @property
    def products(self) -> int:
        return max(60, self.customers // 40)

    @property
    def orders(self) -> int:
        return self.customers * 3

    @classmethod
    def from_change_rows(cls, change_rows: int) -> Scale:
        return cls(max(50, round(change_rows / CHANGE_ROWS_PER_CUSTOMER)))


def _sql_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def create_pools(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """A one-row temp table `p` holding every pool as a list, picked from by hash in the SQL."""
    catalogue = pools.product_catalogue()
    city_lists = ", ".join(f"'{cc}': {_sql_list(cities)}" for cc, cities in pools.CITIES.items())
    con.execute(f"""
        create or replace temp table p as select
            {_sql_list(pools.FIRST_NAMES)} as first_names,
            {_sql_list(pools.LAST_NAMES)} as last_names,
            {_sql_list(pools.STREET_NAMES)} as streets,
            {_sql_list(pools.STREET_SUFFIXES)} as street_suffixes,
            map {{{city_lists}}} as cities,
            {_sql_list(pools.COUNTRY_CODES)} as countries,
            map {{{", ".join(f"'{k}': '{v}'" for k, v in pools.COUNTRY_CURRENCIES.items())}}} as currencies,
            {_sql_list(pools.EMAIL_DOMAINS)} as domains,
            {_sql_list(pools.USER_AGENTS)} as user_agents,
            {_sql_list([name for name, _ in catalogue])} as product_names,
            {_sql_list([category for _, category in catalogue])} as product_categories,
            {_sql_list(pools.card_numbers(4000, seed))} as cards,
            {_sql_list(pools.ibans(2000, seed))} as ibans,
            {_sql_list(pools.TICKET_SUBJECTS)} as ticket_subjects,
            {_sql_list(pools.TICKET_BODIES)} as ticket_bodies,
            {_sql_list(pools.TICKET_CONTACT_TEMPLATES)} as ticket_contacts,
            {_sql_list(pools.MEDICATIONS)} as medications,
            {_sql_list(pools.MEDICAL_CONDITIONS)} as conditions,
            {_sql_list(pools.PRESCRIPTION_NOTES)} as prescription_notes,
            {_sql_list(pools.MARKETING_CHANNELS)} as channels,
            {_sql_list(pools.MARKETING_CAMPAIGNS)} as campaigns
    """)


def pick(pool: str, *hash_args: str) -> str:
    """SQL that picks one element of pool `pool` by hash of the arguments."""
    return f"p.{pool}[1 + (hash({', '.join(hash_args)}, $seed) % len(p.{pool}))::bigint]"


def uuid_of(*hash_args: str) -> str:
    digest = f"md5(concat_ws('|', {', '.join(hash_args)}, $seed::varchar))"
    return (f"(substr({digest}, 1, 8) || '-' || substr({digest}, 9, 4) || '-4' || substr({digest}, 14, 3)"
            f" || '-a' || substr({digest}, 18, 3) || '-' || substr({digest}, 21, 12))::uuid")


def digits(n: int, *hash_args: str) -> str:
    return f"lpad((hash({', '.join(hash_args)}, $seed) % {10**n})::varchar, {n}, '0')"


# --- column expressions: each takes a relation with i (key), v (version), created_ts, source_ts ----

def customer_columns() -> str:
    cc = pick("countries", "i", "'cc'")
    return f"""
        i as id,
        {pick('first_names', 'i', "'fn'")} as first_name,
        {pick('last_names', 'i', 'v // 2', "'ln'")} as last_name,
        null::varchar as email,
        case {cc}
            when 'GB' then '+44 7' || {digits(3, 'i', 'v', "'p1'")} || ' ' || {digits(6, 'i', 'v', "'p2'")}
            when 'US' then '(' || (200 + hash(i, v, 'p1', $seed) % 700)::varchar || ') 555-01' || {digits(2, 'i', 'v', "'p2'")}
            when 'DE' then '+49 30 ' || {digits(7, 'i', 'v', "'p2'")}
            when 'FR' then '+33 6 ' || {digits(2, 'i', 'v', "'p1'")} || ' ' || {digits(2, 'i', 'v', "'p2'")} || ' '
                || {digits(2, 'i', 'v', "'p3'")} || ' ' || {digits(2, 'i', 'v', "'p4'")}
            when 'NL' then '+31 6 ' || {digits(8, 'i', 'v', "'p2'")}
            else '+353 87 ' || {digits(7, 'i', 'v', "'p2'")}
        end as phone,
        date '1950-01-01' + (hash(i, 'dob', $seed) % 18250)::integer as date_of_birth,
        {cc} as country_code,
        hash(i, v, 'opt', $seed) % 3 = 0 as marketing_opt_in,
        {uuid_of('i', "'ref'")} as external_ref,
        created_ts as created_at,
        source_ts as updated_at"""


def customer_email_fixup(relation: str) -> str:
    """Emails are built from the names picked for the same row."""
    return f"""
        update {relation} set email = lower(
            regexp_replace(strip_accents(first_name), '[^A-Za-z]', '', 'g') || '.'
            || regexp_replace(strip_accents(last_name), '[^A-Za-z]', '', 'g')
            || (hash(id, updated_at, 'em', $seed) % 100)::varchar || '@'
            || {pick('domains', 'id', "'dom'")})
        from p where email is null"""


def address_columns() -> str:
    # addresses 2c-1 and 2c belong to customer c (the second exists for 40% of customers)
    cc = pick("countries", "(i + 1) // 2", "'cc'")
    return f"""
        i as id,
        (i + 1) // 2 as customer_id,
        case when i % 2 = 1 then 'billing' else 'shipping' end as address_type,
        (1 + hash(i, v, 'no', $seed) % 240)::varchar || ' ' || {pick('streets', 'i', 'v', "'st'")}
            || {pick('street_suffixes', 'i', 'v', "'sx'")} as street_address,
        p.cities[{cc}][1 + (hash(i, v, 'city', $seed) % 7)::bigint] as city,
        case {cc}
            when 'GB' then chr(65 + (hash(i, v, 'z1', $seed) % 26)::integer) || chr(65 + (hash(i, 'z2', $seed) % 26)::integer)
                || (1 + hash(i, v, 'z3', $seed) % 20)::varchar || ' ' || (hash(i, v, 'z4', $seed) % 10)::varchar
                || chr(65 + (hash(i, v, 'z5', $seed) % 26)::integer) || chr(65 + (hash(i, v, 'z6', $seed) % 26)::integer)
            when 'NL' then {digits(4, 'i', 'v', "'zip'")} || ' ' || chr(65 + (hash(i, v, 'z5', $seed) % 26)::integer)
                || chr(65 + (hash(i, v, 'z6', $seed) % 26)::integer)
            when 'IE' then 'D' || lpad((1 + hash(i, v, 'zip', $seed) % 24)::varchar, 2, '0') || ' '
                || chr(65 + (hash(i, v, 'z5', $seed) % 26)::integer) || {digits(3, 'i', 'v', "'z6'")}
            else {digits(5, 'i', 'v', "'zip'")}
        end as postal_code,
        {cc} as country_code,
        created_ts as created_at,
        source_ts as updated_at"""


def product_columns() -> str:
    return f"""
        i as id,
        'SKU-' || upper(substr(md5(concat_ws('|', i, $seed::varchar)), 1, 4)) || '-' || lpad(i::varchar, 5, '0') as sku,
        {pick('product_names', 'i', "'pn'")} as name,
        p.product_categories[1 + (hash(i, 'pn', $seed) % len(p.product_names))::bigint] as category,
        (4.99 + (hash(i, v, 'price', $seed) % 19500) / 100.0)::decimal(10, 2) as unit_price,
        'EUR' as currency,
        not (v >= {BATCH_VERSION_BASE} and hash(i, v, 'act', $seed) % 4 = 0) as is_active,
        created_ts as created_at,
        source_ts as updated_at"""


def order_columns() -> str:
    """`customer_id` comes with the change rows (new orders pick a customer, updates keep theirs)."""
    return f"""
        i as id,
        customer_id,
        '10' || lpad(i::varchar, 8, '0') as order_number,
        case
            when v = 0 then 'placed'
            when v = 1 then 'shipped'
            when v = 2 then 'delivered'
            else ['shipped', 'delivered', 'returned', 'cancelled'][1 + (hash(i, v, 'st', $seed) % 4)::bigint]
        end as status,
        p.currencies[{pick('countries', 'customer_id', "'cc'")}] as currency,
        case when hash(customer_id, 'addr2', $seed) % 10 < 4 then 2 * customer_id else 2 * customer_id - 1 end
            as shipping_address_id,
        case when hash(i, 'ip6', $seed) % 10 = 0
            then '2001:db8:' || printf('%x', hash(i, 'a', $seed) % 65536) || '::' || printf('%x', hash(i, 'b', $seed) % 65536)
            else (1 + hash(i, 'o1', $seed) % 223)::varchar || '.' || (hash(i, 'o2', $seed) % 256)::varchar || '.'
                || (hash(i, 'o3', $seed) % 256)::varchar || '.' || (1 + hash(i, 'o4', $seed) % 254)::varchar
        end as ip_address,
        {pick('user_agents', 'customer_id', "'ua'")} as user_agent,
        created_ts as ordered_at,
        source_ts as updated_at"""


def order_item_columns() -> str:
    return """
        i as id,
        order_id,
        product_id,
        (1 + hash(i, v, 'qty', $seed) % 3)::integer as quantity,
        unit_price,
        case when hash(i, 'disc', $seed) % 5 = 0 then round(unit_price * 0.1, 2) else 0 end::decimal(10, 2)
            as discount_amount,
        created_ts as created_at,
        source_ts as updated_at"""


def payment_columns() -> str:
    return f"""
        i as id,
        order_id,
        payment_method,
        case when payment_method = 'card' then {pick('cards', 'i', "'card'")} end as card_number,
        case when payment_method = 'bank_transfer' then {pick('ibans', 'i', "'iban'")} end as iban,
        amount::decimal(12, 2) as amount,
        currency,
        case when v = 0 then 'authorized' when v = 1 then 'captured'
            else ['refunded', 'chargeback'][1 + (hash(i, v, 'ps', $seed) % 2)::bigint] end as status,
        {uuid_of('i', "'pref'")} as payment_reference,
        created_ts as paid_at,
        source_ts as updated_at"""


# --- the first load: two years of history -------------------------------------------------------

def ts(value: dt.datetime) -> str:
    return f"timestamp '{value:%Y-%m-%d %H:%M:%S}'"


def history_start(as_of: dt.datetime) -> str:
    return f"({ts(as_of)} - interval {HISTORY_DAYS} days)"


def two_version_history(base: str, as_of: dt.datetime, update_pct: int, delete_per_mille: int) -> str:
    """Changes for rows of `base` (i, created_ts, parent columns): every row inserted; `update_pct`%
    updated once later (before-image of version 0, then version 1); some never-updated rows deleted.
    Before-images and deletes are recomputed from the version they show (version 0)."""
    return f"""
        with t as (
            select *,
                case
                    -- one update in ten happened in the last six hours: replication is live
                    when hash(i, 'recent', $seed) % 10 = 0
                        then greatest(created_ts, {ts(as_of)} - to_seconds((hash(i, 'upd', $seed) % 21600)::bigint))
                    else created_ts + to_seconds(
                        (hash(i, 'upd', $seed) % greatest(1, epoch({ts(as_of)}) - epoch(created_ts))::bigint)::bigint)
                end as later_ts,
                hash(i, 'u?', $seed) % 100 < {update_pct} as is_updated,
                hash(i, 'd?', $seed) % 1000 < {delete_per_mille} as is_deleted
            from ({base})
        ),
        versions as (
            select *, 0 as v, 'I' as oper, created_ts as source_ts from t
            union all select *, 0, 'B', later_ts from t where is_updated and not is_deleted
            union all select *, 1, 'U', later_ts from t where is_updated and not is_deleted
            union all select *, 0, 'D', later_ts from t where is_deleted and not is_updated
        )
        select *, source_ts as capture_ts from versions
        where source_ts <= {ts(as_of)}
    """


@dataclass(frozen=True)
class TwoVersionHistory:
    """The history of a table whose rows are created by `keys` (SQL yielding i and created_ts): see
    two_version_history."""
    keys: Callable[[Scale, dt.datetime], str]
    update_pct: int
    delete_per_mille: int

    def __call__(self, scale: Scale, as_of: dt.datetime) -> str:
        return two_version_history(self.keys(scale, as_of), as_of, self.update_pct, self.delete_per_mille)


def customer_keys(scale: Scale, as_of: dt.datetime) -> str:
    return f"""select i, {history_start(as_of)}
                   + to_seconds((hash(i, 'created', $seed) % {HISTORY_DAYS * 86400})::bigint) as created_ts
               from range(1, {scale.customers + 1}) t(i)"""


def address_keys(scale: Scale, as_of: dt.datetime) -> str:
    """Addresses 2c-1 and 2c belong to customer c (the second exists for 40% of customers), created
    a minute after the customer."""
    return f"""select i, {history_start(as_of)} + to_seconds((hash((i + 1) // 2, 'created', $seed)
                   % {HISTORY_DAYS * 86400})::bigint + 60) as created_ts
               from range(1, 2 * {scale.customers} + 1) t(i)
               where i % 2 = 1 or hash((i + 1) // 2, 'addr2', $seed) % 10 < 4"""


def product_keys(scale: Scale, as_of: dt.datetime) -> str:
    """The catalogue is created on the first day of the history."""
    return f"""select i, {history_start(as_of)} + to_seconds((hash(i, 'created', $seed) % 86400)::bigint) as created_ts
               from range(1, {scale.products + 1}) t(i)"""


def order_history(scale: Scale, as_of: dt.datetime) -> str:
    """placed -> shipped (2 days later) -> delivered (5 days later), each step a B + U pair."""
    return f"""
        with o as (
            select i, 1 + (hash(i, 'cust', $seed) % {scale.customers})::bigint as customer_id,
                {order_placed_at(as_of)} as created_ts
            from range(1, {scale.orders + 1}) t(i)
        ),
        steps as (
            select o.*, s.v, s.oper,
                created_ts + to_seconds(s.step_days * 86400
                    + case when s.step_days > 0 then (hash(i, s.step_days, 'lag', $seed) % 7200)::bigint
                      else 0 end) as source_ts
            from o, (values (0, 'I', 0), (0, 'B', 2), (1, 'U', 2), (1, 'B', 5), (2, 'U', 5))
                s(v, oper, step_days)
        )
        select *, source_ts as capture_ts from steps where source_ts <= {ts(as_of)}"""


def order_item_history(scale: Scale, as_of: dt.datetime) -> str:
    orders = f"""select i as order_id, {order_placed_at(as_of)} as created_ts
                 from range(1, {scale.orders + 1}) t(i)"""
    return new_order_items(orders, scale)


def payment_history(scale: Scale, as_of: dt.datetime) -> str:
    """Payments of the history's orders (the orders change table is loaded first)."""
    return new_payments(f"select id as order_id from {RAW_SCHEMA}.shop_orders__ct", as_of, captured_immediately=False)


def order_placed_at(as_of: dt.datetime) -> str:
    """When history order `i` was placed: spread over the history, one in twenty in the last six hours."""
    return (f"{ts(as_of)} - to_seconds((hash(i, 'ord', $seed) % case when i % 20 = 0 then 21600 "
            f"else {HISTORY_DAYS * 86400} end)::bigint)")


def new_order_items(orders: str, scale: Scale) -> str:
    """1-4 items for each order in `orders` (order_id, created_ts); item id = order_id * 10 + n."""
    return f"""
        with o as ({orders}),
        items as (
            select o.order_id * 10 + n as i, o.order_id, o.created_ts,
                1 + (hash(o.order_id * 10 + n, 'prod', $seed) % {scale.products})::bigint as product_id
            from o, range(1, 5) r(n)
            where n <= 1 + hash(o.order_id, 'n_items', $seed) % 4
        )
        select i, 0 as v, 'I' as oper, created_ts as source_ts, created_ts as capture_ts, created_ts,
            order_id, product_id,
            (4.99 + (hash(product_id, 0, 'price', $seed) % 19500) / 100.0)::decimal(10, 2) as unit_price
        from items
    """


def new_payments(orders: str, until: dt.datetime, captured_immediately: bool) -> str:
    """Payments for the orders in `orders`: one per order (two halves for 10%), authorized when the
    order is placed and captured a day later (if that is before `until`)."""
    capture_step = "" if captured_immediately else ", (0, 'B', 1), (1, 'U', 1)"
    return f"""
        with o as (select distinct order_id from ({orders})),
        items as (
            select order_id, min(created_at) as created_ts,
                sum(quantity * unit_price - discount_amount) as total
            from {RAW_SCHEMA}.shop_order_items__ct
            where header__change_oper = 'I' and order_id in (select order_id from o)
            group by order_id
        ),
        orders as (
            select id, any_value(customer_id) as customer_id from {RAW_SCHEMA}.shop_orders__ct
            where header__change_oper = 'I' and id in (select order_id from o) group by id
        ),
        pays as (
            select items.*, n, hash(items.order_id, 'split', $seed) % 10 = 0 as is_split, orders.customer_id
            from items join orders on orders.id = items.order_id, range(1, 3) r(n)
            where n = 1 or hash(items.order_id, 'split', $seed) % 10 = 0
        ),
        valued as (
            select order_id * 10 + n as i, order_id, created_ts,
                ['card', 'card', 'card', 'paypal', 'bank_transfer'][1 + (hash(order_id, n, 'pm', $seed) % 5)::bigint]
                    as payment_method,
                case when is_split then round(total / 2, 2) else total end as amount,
                p.currencies[{pick('countries', 'customer_id', "'cc'")}] as currency
            from pays, p
        ),
        steps as (
            select valued.*, s.v, s.oper, created_ts + to_seconds(s.days * 86400) as source_ts
            from valued, (values (0, 'I', 0){capture_step}) s(v, oper, days)
        )
        select *, source_ts as capture_ts from steps
        where oper = 'I' or source_ts <= {ts(until)}
    """


# --- a later batch's new rows ---------------------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    """A later batch: its changes are captured in the hour after `window_start`."""
    id: int
    scale: Scale
    window_start: dt.datetime

    @property
    def window_end(self) -> dt.datetime:
        return self.window_start + dt.timedelta(hours=1)

    @property
    def first_change_seq(self) -> str:
        """A literal at or below this batch's change sequences and above every earlier batch's."""
        return f"'{self.window_start:%Y%m%d%H%M%S}'"


def keys_inserted(batch: Batch, inserted: str) -> str:
    """The batch's new keys as they are: values computed from the key alone."""
    return inserted


def addresses_of_new_customers(batch: Batch, inserted: str) -> str:
    """Addresses for the customers this batch added (customers are loaded first)."""
    return f"""
        select c.id * 2 - 1 as i, 0 as v, 'I' as oper, c.created_at as capture_ts, c.created_at as source_ts,
            c.created_at as created_ts
        from {RAW_SCHEMA}.shop_customers__ct c
        where c.header__change_oper = 'I' and c.header__change_seq >= {batch.first_change_seq}
          and c.id * 2 - 1 not in (select id from {RAW_SCHEMA}.shop_customer_addresses__ct)"""


def orders_of_any_customer(batch: Batch, inserted: str) -> str:
    """The batch's new orders, each placed by one of all the customers so far."""
    customers = f"(select max(id) from {RAW_SCHEMA}.shop_customers__ct)"
    return f"""
        select k.*, 1 + (hash(i, 'cust', $seed) % {customers})::bigint as customer_id
        from ({inserted}) k"""


def items_of_new_orders(batch: Batch, inserted: str) -> str:
    """Items of the orders this batch added (orders are loaded first)."""
    orders = f"""select id as order_id, ordered_at as created_ts from {RAW_SCHEMA}.shop_orders__ct
                 where header__change_oper = 'I' and header__change_seq >= {batch.first_change_seq}"""
    return new_order_items(orders, batch.scale)


def payments_of_new_orders(batch: Batch, inserted: str) -> str:
    """Payments of the orders this batch added (orders and their items are loaded first)."""
    orders = f"""select id as order_id from {RAW_SCHEMA}.shop_orders__ct
                 where header__change_oper = 'I' and header__change_seq >= {batch.first_change_seq}"""
    return new_payments(orders, batch.window_end, captured_immediately=True)


# --- one spec per shop table --------------------------------------------------------------------

@dataclass(frozen=True)
class TableSpec:
    """Everything the generator knows about one shop change table."""

    name: str
    # the data columns (after the Qlik header), with their types: the table's DDL
    columns: tuple[Column, ...]
    # the select list computing the data columns from i (key), v (version), created_ts, source_ts
    # and the parent columns the change rows carry
    values: Callable[[], str]
    # the first load's changes: SQL yielding i, v, oper, source_ts, capture_ts, created_ts and the
    # parent columns `values` reads
    history: Callable[[Scale, dt.datetime], str]
    # a later batch's inserts: SQL yielding the same, given the batch and the SQL of its new keys
    # (i, v, oper, capture_ts, source_ts, created_ts)
    new_rows: Callable[[Batch, str], str]
    # the columns an update keeps from the row it updates (parent keys and what `values` reads)
    parent_columns: tuple[str, ...] = ()
    # the column holding the row's creation time (kept by updates)
    creation_column: str = "created_at"
    # whether later batches delete rows (the history's deletes are part of its shape)
    deletes_in_batches: bool = True
    # SQL run on the relation of computed change rows before they are appended, for values
    # computed from other columns of the same row
    fixup: Callable[[str], str] | None = None

    @property
    def relation(self) -> str:
        return f"{RAW_SCHEMA}.shop_{self.name}__ct"

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def ddl(self) -> str:
        return f"create table if not exists {self.relation} ({column_list_ddl(HEADER_COLUMNS + self.columns)})"


# In load order: a table's new rows may read the change tables before it.
SHOP_SPECS = (
    TableSpec(
        name="customers",
        columns=(
            Column("id", "bigint"), Column("first_name", "varchar"), Column("last_name", "varchar"),
            Column("email", "varchar"), Column("phone", "varchar"), Column("date_of_birth", "date"),
            Column("country_code", "varchar"), Column("marketing_opt_in", "boolean"), Column("external_ref", "uuid"),
            Column("created_at", "timestamp"), Column("updated_at", "timestamp"),
        ),
        values=customer_columns,
        history=TwoVersionHistory(customer_keys, update_pct=30, delete_per_mille=8),
        new_rows=keys_inserted,
        fixup=customer_email_fixup,
    ),
    TableSpec(
        name="customer_addresses",
        columns=(
            Column("id", "bigint"), Column("customer_id", "bigint"), Column("address_type", "varchar"),
            Column("street_address", "varchar"), Column("city", "varchar"), Column("postal_code", "varchar"),
            Column("country_code", "varchar"), Column("created_at", "timestamp"), Column("updated_at", "timestamp"),
        ),
        values=address_columns,
        history=TwoVersionHistory(address_keys, update_pct=20, delete_per_mille=0),
        new_rows=addresses_of_new_customers,
        deletes_in_batches=False,
    ),
    TableSpec(
        name="products",
        columns=(
            Column("id", "bigint"), Column("sku", "varchar"), Column("name", "varchar"), Column("category", "varchar"),
            Column("unit_price", "decimal(10, 2)"), Column("currency", "varchar"), Column("is_active", "boolean"),
            Column("created_at", "timestamp"), Column("updated_at", "timestamp"),
        ),
        values=product_columns,
        history=TwoVersionHistory(product_keys, update_pct=40, delete_per_mille=0),
        new_rows=keys_inserted,
        deletes_in_batches=False,
    ),
    TableSpec(
        name="orders",
        columns=(
            Column("id", "bigint"), Column("customer_id", "bigint"), Column("order_number", "varchar"),
            Column("status", "varchar"), Column("currency", "varchar"), Column("shipping_address_id", "bigint"),
            Column("ip_address", "varchar"), Column("user_agent", "varchar"), Column("ordered_at", "timestamp"),
            Column("updated_at", "timestamp"),
        ),
        values=order_columns,
        history=order_history,
        new_rows=orders_of_any_customer,
        parent_columns=("customer_id",),
        creation_column="ordered_at",
    ),
    TableSpec(
        name="order_items",
        columns=(
            Column("id", "bigint"), Column("order_id", "bigint"), Column("product_id", "bigint"),
            Column("quantity", "integer"), Column("unit_price", "decimal(10, 2)"),
            Column("discount_amount", "decimal(10, 2)"), Column("created_at", "timestamp"),
            Column("updated_at", "timestamp"),
        ),
        values=order_item_columns,
        history=order_item_history,
        new_rows=items_of_new_orders,
        parent_columns=("order_id", "product_id", "unit_price"),
    ),
    TableSpec(
        name="payments",
        columns=(
            Column("id", "bigint"), Column("order_id", "bigint"), Column("payment_method", "varchar"),
            Column("card_number", "varchar"), Column("iban", "varchar"), Column("amount", "decimal(12, 2)"),
            Column("currency", "varchar"), Column("status", "varchar"), Column("payment_reference", "uuid"),
            Column("paid_at", "timestamp"), Column("updated_at", "timestamp"),
        ),
        values=payment_columns,
        history=payment_history,
        new_rows=payments_of_new_orders,
        parent_columns=("order_id", "payment_method", "amount", "currency"),
        creation_column="paid_at",
    ),
)
SHOP_TABLES = tuple(spec.name for spec in SHOP_SPECS)
SPECS = {spec.name: spec for spec in SHOP_SPECS}


# --- change-table plumbing, the same for every shop table ------------------------------------------

def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for spec in SHOP_SPECS:
        con.execute(spec.ddl)
    con.execute(f"create table if not exists {RAW_SCHEMA}.support_tickets ({column_list_ddl(SUPPORT_TICKET_COLUMNS)})")
    con.execute(f"create table if not exists {RAW_SCHEMA}.marketing_ad_spend ({column_list_ddl(AD_SPEND_COLUMNS)})")
    con.execute(f"create table if not exists {RAW_SCHEMA}.{PHARMACY_TABLE} ({column_list_ddl(PRESCRIPTION_COLUMNS)})")
    con.execute(f"create table if not exists {RAW_SCHEMA}._load_batches ({column_list_ddl(LOAD_BATCH_COLUMNS)})")


def computed_rows(changes: str, columns: str) -> str:
    """Rows whose values are computed from (key, version): `changes` yields i, v, oper, source_ts,
    capture_ts, created_ts and any parent columns `columns` needs."""
    return f"""
        select changes.i, changes.oper, changes.source_ts, changes.capture_ts, {columns}
        from ({changes}) changes, p"""


def copied_rows(spec: TableSpec, current: str, keys: str, oper: str, source_ts: str, capture_ts: str) -> str:
    """Before-images and deletes: the current values of the keys in `keys` (SQL yielding i,
    source_ts and capture_ts), copied as Qlik copies them."""
    data = ", ".join(f"c.{name}" for name in spec.column_names)
    return f"""
        select c.id as i, '{oper}' as oper, {source_ts} as source_ts, {capture_ts} as capture_ts, {data}
        from {current} c join ({keys}) k on k.i = c.id"""


def insert_changes(con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: list[str], batch_id: int,
                   seed: int) -> int:
    """Give the change rows their Qlik header (sequence in capture order) and append them."""
    union = "\nunion all by name\n".join(f"({r})" for r in rows)
    con.execute(f"create or replace temp table _rows as {union}", {"seed": seed})
    if spec.fixup is not None:
        con.execute(spec.fixup("_rows"), {"seed": seed})
    data = ", ".join(spec.column_names)
    con.execute(f"""
        insert into {spec.relation} ({", ".join(column.name for column in HEADER_COLUMNS)}, {data})
        select
            strftime(capture_ts, '%Y%m%d%H%M%S')
                || lpad((row_number() over (order by capture_ts, i, case oper when 'B' then 0 else 1 end)
                    + {batch_id} * 1000000000000)::varchar, 21, '0'),
            oper,
            case oper when 'U' then upper(printf('%x', hash(i, capture_ts, 'mask', $seed) % 4096 + 1)) end,
            printf('%08x.%08x.00000001.0000.02.0000:%d.%d.16', epoch(capture_ts)::bigint,
                coalesce(i, 0) % 4294967296, hash(i, 'sp', $seed) % 100000, coalesce(i, 0) % 10000),
            case oper when 'I' then 'INSERT' when 'U' then 'UPDATE' when 'D' then 'DELETE'
                when 'B' then 'BEFOREIMAGE' end,
            upper(substr(md5(concat_ws('|', epoch(capture_ts)::bigint // 60, coalesce(i, 0) // 50,
                $seed::varchar)), 1, 32)),
            source_ts,
            {data}
        from _rows
    """, {"seed": seed})
    return con.execute("select count(*) from _rows").fetchone()[0]


def history_rows(spec: TableSpec, scale: Scale, as_of: dt.datetime) -> list[str]:
    """Change rows of the first load."""
    return [computed_rows(spec.history(scale, as_of), spec.values())]


# --- later batches: new rows, updates, deletes, late arrivals -------------------------------------

def current_state(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> str:
    """A temp table with the latest valid change per key (deleted keys included, flagged)."""
    name = f"_current_{spec.name}"
    con.execute(f"""
        create or replace temp table {name} as
        select * from {spec.relation}
        where header__change_oper in ('I', 'U', 'D') and id is not null
        qualify row_number() over (partition by id order by header__change_seq desc) = 1
    """)
    return name


def batch_rows(con: duckdb.DuckDBPyConnection, spec: TableSpec, batch: Batch, fraction: float) -> list[str]:
    """Change rows for one later batch of the table, captured in the hour after the batch's window start."""
    current = current_state(con, spec)
    live, max_id = con.execute(
        f"select count(*) filter (where header__change_oper <> 'D'), coalesce(max(id), 0) from {current}"
    ).fetchone()
    batch_id = batch.id
    version = BATCH_VERSION_BASE + batch_id
    capture = f"{ts(batch.window_start)} + to_seconds((hash(i, 'cap', {batch_id}, $seed) % 3600)::bigint)"
    n_new = max(1, round(live * fraction * 0.5))
    n_update = max(1, round(live * fraction * 0.5))
    n_delete = max(1, round(live * fraction * 0.05)) if spec.deletes_in_batches else 0
    columns = spec.values()
    # updates and deletes pick distinct live keys, ordered by a hash of (key, batch)
    picked = f"""
        select id as i, row_number() over (order by hash(id, {batch_id}, 'pick', $seed)) as rank,
            header__timestamp as previous_ts, created_at_col as created_ts
        from (select *, {spec.creation_column} as created_at_col from {current}
              where header__change_oper <> 'D')
        qualify rank <= {n_update + n_delete}"""
    updates = f"""
        select i, {version} as v, created_ts, previous_ts, {capture} as capture_ts,
            -- one update in five arrives late: its source timestamp is older than the change it follows
            case when hash(i, {batch_id}, 'late', $seed) % 5 = 0 then previous_ts - interval 1 hour
                 else {capture} end as source_ts
        from ({picked}) where rank <= {n_update}"""
    deletes = f"select i, {capture} as capture_ts, {capture} as source_ts from ({picked}) where rank > {n_update}"
    # an update keeps the parent columns of the row it updates
    kept = "".join(f", c.{column}" for column in spec.parent_columns)
    join_current = f"join {current} c on c.id = u.i" if spec.parent_columns else ""
    rows = [
        copied_rows(spec, current, updates, "B", "k.source_ts", "k.capture_ts"),
        computed_rows(f"select u.*, 'U' as oper{kept} from ({updates}) u {join_current}", columns),
    ]
    if n_delete:
        rows.append(copied_rows(spec, current, deletes, "D", "k.source_ts", "k.capture_ts"))
    new_keys = f"select {max_id} + n as i from range(1, {n_new + 1}) r(n)"
    inserted = f"""select i, 0 as v, 'I' as oper, {capture} as capture_ts, {capture} as source_ts,
                       {capture} as created_ts from ({new_keys})"""
    rows.append(computed_rows(spec.new_rows(batch, inserted), columns))
    return rows


# --- support tickets (API load, JSON payloads) and marketing spend (file load) --------------------

def ticket_rows(first_id: int, count: int, created: str, customers: int, batch_id: int, loaded: str,
                version: int) -> str:
    """SQL for `count` tickets (ids from `first_id`), each as the API returns it: a JSON document
    with the requester's name and email; a minority of bodies mention an email or phone."""
    return f"""
        with t as (
            select i, {created} as created_ts, 1 + (hash(i, 'tc', $seed) % {customers})::bigint as customer_id
            from range({first_id}, {first_id + count}) r(i)
        ),
        named as (
            select t.*, c.first_name, c.last_name, c.email
            from t join _current_customers c on c.id = t.customer_id
        ),
        valued as (
            select i, customer_id, created_ts,
                {pick('ticket_bodies', 'i', "'body'")} as body_text,
                case when hash(i, 'contact', $seed) % 10 < 3 then replace(replace(
                    {pick('ticket_contacts', 'i', "'ct'")},
                    '{{email}}', lower(first_name) || '.' || lower(regexp_replace(last_name, '[^A-Za-z]', '', 'g'))
                        || '@' || {pick('domains', 'i', "'cd'")}),
                    '{{phone}}', '+44 7' || {digits(3, 'i', "'tp1'")} || ' ' || {digits(6, 'i', "'tp2'")})
                else '' end as contact,
                first_name || ' ' || last_name as requester_name, email as requester_email,
                {pick('ticket_subjects', 'i', "'body'")} as subject,
                case when {version} = 0 then ['solved', 'closed', 'closed', 'open', 'pending'][1 + (hash(i, 'ts', $seed) % 5)::bigint]
                     else ['open', 'pending', 'solved'][1 + (hash(i, {version}, 'ts', $seed) % 3)::bigint] end as status
            from named, p
        )
        select i as id,
            json_object(
                'id', i,
                'subject', subject,
                'description', body_text || contact,
                'status', status,
                'priority', ['low', 'normal', 'normal', 'high', 'urgent'][1 + (hash(i, 'pr', $seed) % 5)::bigint],
                'channel', ['email', 'web', 'chat', 'phone'][1 + (hash(i, 'ch', $seed) % 4)::bigint],
                'requester', json_object('name', requester_name, 'email', requester_email),
                'customer_id', customer_id,
                'created_at', strftime(created_ts, '%Y-%m-%dT%H:%M:%SZ'),
                'updated_at', strftime({loaded} - interval 5 minutes, '%Y-%m-%dT%H:%M:%SZ'),
                'tags', ['shop', status]
            ) as payload,
            {batch_id} as _batch_id,
            {loaded} as _loaded_at
        from valued
    """


def ad_spend_rows(days: str, loaded: str, version: int) -> str:
    """One row per day, channel and campaign for the days in `days` (SQL yielding d)."""
    return f"""
        select d as spend_date, ch as channel,
            upper(substr(ch, 1, 3)) || '-' || upper(substr(cp, 1, 3)) || '-' || year(d)::varchar as campaign_id,
            ch || ' / ' || cp as campaign_name,
            (50 + hash(d, ch, cp, {version}, 'spend', $seed) % 500000 / 100.0)::decimal(12, 2) as spend_amount,
            'EUR' as currency,
            (1000 + hash(d, ch, cp, 'imp', $seed) % 90000)::bigint as impressions,
            (10 + hash(d, ch, cp, 'clk', $seed) % 2000)::bigint as clicks,
            'ad_spend_' || strftime(d, '%Y%m%d') || '.csv' as _file_name,
            {loaded} as _loaded_at
        from ({days}) days, (select unnest(channels) as ch from p) c, (select unnest(campaigns) as cp from p) k
    """


def prescription_rows(first_id: int, count: int, written: str, customers: int, loaded: str) -> str:
    """SQL for `count` prescriptions (ids from `first_id`) as the pharmacy system exports them in its daily
    file: the patient (a shop customer), the prescriber and their licence (DEA-style: two letters, seven
    digits with the check digit), the medication and the prescriber's free-text note."""
    return f"""
        with rx as (
            select i, {written} as written_ts, 1 + (hash(i, 'rxc', $seed) % {customers})::bigint as customer_id,
                {pick('medications', 'i', "'rxm'")} as medication,
                {pick('conditions', 'i', "'rxd'")} as condition,
                'Dr ' || {pick('first_names', 'i', "'rxf'")} || ' ' || {pick('last_names', 'i', "'rxl'")} as prescriber,
                {digits(6, 'i', "'rxn'")} as licence_digits
            from range({first_id}, {first_id + count}) r(i), p
        ),
        licensed as (
            select *,
                (substr(licence_digits, 1, 1)::int + substr(licence_digits, 3, 1)::int + substr(licence_digits, 5, 1)::int
                 + 2 * (substr(licence_digits, 2, 1)::int + substr(licence_digits, 4, 1)::int
                        + substr(licence_digits, 6, 1)::int)) % 10 as check_digit
            from rx
        )
        select i as prescription_id, customer_id, prescriber as prescriber_name,
            'B' || upper(substr(split_part(prescriber, ' ', 3), 1, 1)) || licence_digits || check_digit::varchar
                as prescriber_license,
            medication,
            (14 * (1 + hash(i, 'rxq', $seed) % 4))::integer as quantity,
            replace(replace({pick('prescription_notes', 'i', "'rxt'")}, '{{condition}}', condition),
                '{{medication}}', split_part(medication, ' ', 1)) as note,
            written_ts as prescribed_at,
            written_ts + to_seconds((3600 + hash(i, 'rxw', $seed) % 172800)::bigint) as dispensed_at,
            'prescriptions_' || strftime({loaded}, '%Y%m%d') || '.csv' as _file_name,
            {loaded} as _loaded_at
        from licensed, p
    """


def load_prescriptions(con: duckdb.DuckDBPyConnection, customers: int, as_of: dt.datetime, seed: int) -> int:
    """The pharmacy's first export: a year of prescriptions, for about one customer in five, one in ten
    written in the last day (each loaded with the next day's file, the newest by `as_of`)."""
    count = max(10, customers // 5)
    written = (f"{ts(as_of)} - to_seconds((hash(i, 'rxwhen', $seed) % case when i % 10 = 0 then 86400 "
               f"else 365 * 86400 end)::bigint)")
    loaded = f"least({ts(as_of)}, date_trunc('day', {written}) + interval 26 hours)"
    con.execute(f"insert into {RAW_SCHEMA}.{PHARMACY_TABLE} {prescription_rows(1, count, written, customers, loaded)}",
                {"seed": seed})
    return count


def add_missing_prescriptions(con: duckdb.DuckDBPyConnection, seed: int, customers: int, as_of: dt.datetime) -> int:
    """A raw layer loaded before the pharmacy source existed gets its first export (0 when it has one)."""
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                         [RAW_SCHEMA, PHARMACY_TABLE]).fetchone()[0]
    if exists:
        return 0
    create_raw_tables(con)
    create_pools(con, seed)
    return load_prescriptions(con, customers, as_of, seed)


# --- orchestration ------------------------------------------------------------------------------

@dataclass
class LoadResult:
    batch_id: int
    rows_by_table: dict[str, int]

    @property
    def change_rows(self) -> int:
        return sum(n for table, n in self.rows_by_table.items() if table in SHOP_TABLES)


def existing_batches(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = '_load_batches'",
        [RAW_SCHEMA]).fetchone()[0]
    if not exists:
        return []
    return con.execute(f"select batch_id, seed, customers, as_of from {RAW_SCHEMA}._load_batches order by 1").fetchall()


def load_initial(con: duckdb.DuckDBPyConnection, scale: Scale, seed: int, as_of: dt.datetime,
                 progress: Callable[[str], None] = lambda step: None) -> LoadResult:
    """Batch 0: two years of history up to `as_of`."""
    create_raw_tables(con)
    create_pools(con, seed)
    rows: dict[str, int] = {}
    for spec in SHOP_SPECS:
        progress(f"shop_{spec.name}__ct")
        rows[spec.name] = insert_changes(con, spec, history_rows(spec, scale, as_of), 0, seed)
    progress("support_tickets")
    current_state(con, SPECS["customers"])
    n_tickets = max(10, scale.customers * 3 // 10)
    # tickets spread over the history, one in ten raised in the last day
    created = (f"{ts(as_of)} - to_seconds((hash(i, 'tcreated', $seed) % case when i % 10 = 0 then 86400 "
               f"else {HISTORY_DAYS * 86400} end)::bigint)")
    loaded = f"least({ts(as_of)}, {created} + interval 2 days)"
    con.execute(f"insert into {RAW_SCHEMA}.support_tickets "
                f"{ticket_rows(1, n_tickets, created, scale.customers, 0, loaded, 0)}", {"seed": seed})
    rows["support_tickets"] = n_tickets
    progress("marketing_ad_spend")
    days = f"select (date '{as_of:%Y-%m-%d}' - 365 + n::integer)::date as d from range(0, 365) r(n)"
    con.execute(f"insert into {RAW_SCHEMA}.marketing_ad_spend "
                f"{ad_spend_rows(days, 'd + interval 30 hours', 0)}", {"seed": seed})
    rows["marketing_ad_spend"] = con.execute(f"select count(*) from {RAW_SCHEMA}.marketing_ad_spend").fetchone()[0]
    progress(PHARMACY_TABLE)
    rows[PHARMACY_TABLE] = load_prescriptions(con, scale.customers, as_of, seed)
    record_batch(con, 0, seed, scale, as_of, as_of - dt.timedelta(days=HISTORY_DAYS), as_of, rows)
    return LoadResult(0, rows)


def load_batch(con: duckdb.DuckDBPyConnection, fraction: float,
               progress: Callable[[str], None] = lambda step: None,
               inject_malformed: bool = False) -> LoadResult:
    """Append the next change batch, captured in the hour after the previous batch."""
    batches = existing_batches(con)
    if not batches:
        raise LookupError("no raw layer to append to: run the first load before appending a batch")
    batch_id = batches[-1][0] + 1
    _, seed, customers, as_of = batches[0]
    scale = Scale(customers)
    create_pools(con, seed)
    window_start = as_of + dt.timedelta(hours=batch_id)
    batch = Batch(batch_id, scale, window_start)
    rows: dict[str, int] = {}
    for spec in SHOP_SPECS:
        progress(f"shop_{spec.name}__ct")
        rows[spec.name] = insert_changes(con, spec, batch_rows(con, spec, batch, fraction), batch_id, seed)
    if inject_malformed:
        rows["orders"] += insert_malformed_orders(con, batch_id, window_start, seed)
    progress("support_tickets")
    current_state(con, SPECS["customers"])
    max_ticket, n_tickets = con.execute(
        f"select max(id), count(distinct id) from {RAW_SCHEMA}.support_tickets").fetchone()
    n = max(2, round(n_tickets * fraction))
    loaded = f"{ts(window_start)} + to_seconds((hash(i, 'tl', {batch_id}, $seed) % 3600)::bigint)"
    new = ticket_rows(max_ticket + 1, n, loaded + " - interval 10 minutes", customers, batch_id, loaded, batch_id)
    # re-delivered tickets: an update of an existing ticket, the API returns the whole document again
    updated = ticket_rows(1 + (batch_id * 7919) % max_ticket, n, f"{ts(as_of)} - interval 30 days",
                          customers, batch_id, loaded, batch_id)
    con.execute(f"insert into {RAW_SCHEMA}.support_tickets select * from ({new}) union all select * from ({updated})",
                {"seed": seed})
    rows["support_tickets"] = 2 * n
    progress("marketing_ad_spend")
    day = window_start.date()
    days = f"select date '{day}' as d union all select date '{day - dt.timedelta(days=1)}'"
    con.execute(f"insert into {RAW_SCHEMA}.marketing_ad_spend "
                f"{ad_spend_rows(days, ts(window_start + dt.timedelta(minutes=30)), batch_id)}", {"seed": seed})
    rows["marketing_ad_spend"] = 2 * len(pools.MARKETING_CHANNELS) * len(pools.MARKETING_CAMPAIGNS)
    progress(PHARMACY_TABLE)
    add_missing_prescriptions(con, seed, customers, as_of)
    max_rx, n_rx = con.execute(f"select coalesce(max(prescription_id), 0), count(*) from {RAW_SCHEMA}.{PHARMACY_TABLE}"
                               ).fetchone()
    n = max(1, round(n_rx * fraction))
    written = f"{ts(window_start)} + to_seconds((hash(i, 'rxb', {batch_id}, $seed) % 3600)::bigint)"
    con.execute(f"insert into {RAW_SCHEMA}.{PHARMACY_TABLE} "
                f"{prescription_rows(max_rx + 1, n, written, customers, ts(window_start + dt.timedelta(hours=1)))}",
                {"seed": seed})
    rows[PHARMACY_TABLE] = n
    record_batch(con, batch_id, seed, scale, as_of, window_start, window_start + dt.timedelta(hours=1), rows)
    return LoadResult(batch_id, rows)


def insert_malformed_orders(con: duckdb.DuckDBPyConnection, batch_id: int, window_start: dt.datetime,
                            seed: int) -> int:
    """Two malformed change rows, as a misconfigured task could write them: an unknown operation
    code and a row without its key. Staging must quarantine them, never merge them."""
    base = (f"select * replace ('{window_start:%Y%m%d%H%M%S}' || lpad(({batch_id} * 1000000000000 + 999999999990"
            f" + {{n}})::varchar, 21, '0') as header__change_seq{{extra}}) "
            f"from {RAW_SCHEMA}.shop_orders__ct where header__change_oper = 'I' order by id limit 1")
    con.execute(f"insert into {RAW_SCHEMA}.shop_orders__ct "
                + base.format(n=1, extra=", 'X' as header__change_oper, 'UNKNOWN' as header__operation"))
    con.execute(f"insert into {RAW_SCHEMA}.shop_orders__ct "
                + base.format(n=2, extra=", null::bigint as id"))
    return 2


def record_batch(con: duckdb.DuckDBPyConnection, batch_id: int, seed: int, scale: Scale, as_of: dt.datetime,
                 captured_from: dt.datetime, captured_to: dt.datetime, rows: dict[str, int]) -> None:
    change_rows = sum(n for table, n in rows.items() if table in SHOP_TABLES)
    con.execute(f"insert into {RAW_SCHEMA}._load_batches values (?, ?, ?, ?, ?, ?, ?, now()::timestamp)",
                [batch_id, seed, scale.customers, as_of, captured_from, captured_to, change_rows])
