"""Shared by the masking tests: classification meta injected into a project copy.

The marts' real classification comes from the scan and lineage features; these tests inject
classification meta (as lineage would write it) into a private copy with governance.dbt_yaml,
then derive every expectation from whatever the manifest holds.
"""

from __future__ import annotations

from pathlib import Path

from governance.project.yaml_io import YamlFile, column_node, set_classification

HASH_KEY = "test-only-masking-key"  # the key of the keyed hash in tests (env var, never in the repo)

# file -> node -> column -> meta values (classification, pii, optional mask_as)
CLASSIFICATION: dict[str, dict[str, dict[str, dict[str, object]]]] = {
    "models/marts/core/_core__models.yml": {
        "dim_customers": {
            "first_name": {"classification": 3, "pii": ["PERSON"]},
            "last_name": {"classification": 3, "pii": ["PERSON"]},
            "email": {"classification": 3, "pii": ["EMAIL_ADDRESS"], "mask_as": "join_key"},
            "phone_number": {"classification": 3, "pii": ["PHONE_NUMBER"]},
            "date_of_birth": {"classification": 3, "pii": ["DATE_OF_BIRTH"]},
            "billing_street_address": {"classification": 3, "pii": ["STREET_ADDRESS"]},
            "billing_postal_code": {"classification": 2, "pii": ["POSTAL_CODE"]},
            "has_marketing_opt_in": {"classification": 3, "pii": []},
            "lifetime_net_revenue_eur": {"classification": 3, "pii": []},
            "created_at": {"classification": 3, "pii": []},
        },
        # a table model (dim_customers is incremental): covers masking of a rebuilt table
        "dim_products": {
            "unit_price": {"classification": 3, "pii": []},
        },
        "fct_orders": {
            "ip_address": {"classification": 3, "pii": ["IP_ADDRESS"]},
            "user_agent": {"classification": 2, "pii": ["USER_AGENT"]},
        },
    },
    "models/marts/finance/_finance__models.yml": {
        "fct_payments": {
            "card_number": {"classification": 4, "pii": ["CREDIT_CARD"]},
            "iban": {"classification": 4, "pii": ["IBAN_CODE"]},
            "amount": {"classification": 4, "pii": []},
            "paid_at": {"classification": 4, "pii": []},
        },
    },
    "models/marts/support/_support__models.yml": {
        "fct_support_tickets": {
            "requester_name": {"classification": 3, "pii": ["PERSON"]},
            "requester_email": {"classification": 3, "pii": ["EMAIL_ADDRESS"], "mask_as": "join_key"},
            "description": {"classification": 3, "pii": ["PHONE_NUMBER", "EMAIL_ADDRESS"]},
        },
    },
    "snapshots/_snapshots.yml": {
        "snap_customers": {
            "email": {"classification": 3, "pii": ["EMAIL_ADDRESS"]},
            "phone_number": {"classification": 3, "pii": ["PHONE_NUMBER"]},
            "date_of_birth": {"classification": 4, "pii": ["DATE_OF_BIRTH"]},
        },
    },
    "seeds/_seeds.yml": {
        "currencies": {"eur_per_unit": {"classification": 3, "pii": []}},
    },
    "models/marts/core/_customer_contacts.yml": {
        "customer_contacts": {
            "email": {"classification": 3, "pii": ["EMAIL_ADDRESS"]},
            "phone_number": {"classification": 3, "pii": ["PHONE_NUMBER"]},
        },
    },
}

# A view built on a masked table (as lineage would classify it).
VIEW_MODEL_SQL = """{{ config(materialized='view') }}

with customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        customer_id,
        email,
        phone_number,
        country_code
    from customers

)

select * from final
"""

VIEW_MODEL_YML = """version: 2

models:
  - name: customer_contacts
    description: Contact details of customers (a view on dim_customers).
    columns:
      - name: customer_id
        data_type: bigint
        description: Customer id.
      - name: email
        data_type: varchar
        description: Email address.
      - name: phone_number
        data_type: varchar
        description: Phone number.
      - name: country_code
        data_type: varchar
        description: Country of residence.
"""


def add_view_model(project: Path) -> None:
    (project / "models/marts/core/customer_contacts.sql").write_text(VIEW_MODEL_SQL)
    (project / "models/marts/core/_customer_contacts.yml").write_text(VIEW_MODEL_YML)


def inject_classification(
    project: Path, plan: dict[str, dict[str, dict[str, dict[str, object]]]] | None = None
) -> int:
    """Write classification meta into the copy's YAML (marker `lineage`). Returns columns written."""
    written = 0
    for relative, nodes in (plan or CLASSIFICATION).items():
        document = YamlFile.load(project / relative)
        for node_name, columns in nodes.items():
            node = document.model(node_name)
            assert node is not None, f"{relative}: no node {node_name}"
            for column_name, values in columns.items():
                column = column_node(node, column_name)
                assert column is not None, f"{relative}: {node_name} has no column {column_name}"
                written += set_classification(column, dict(values), "lineage")
        document.save()
    return written
