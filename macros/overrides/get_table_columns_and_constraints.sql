{#
    Replaces, on DuckDB only, dbt's built-in default__get_table_columns_and_constraints (dbt-core,
    relations/column/columns_spec_ddl.sql), the column list of a contracted table's CREATE TABLE,
    which also renders the model-level constraints (the primary key). dbt dispatches
    get_table_columns_and_constraints to this duckdb__ version; Snowflake keeps dbt's (the
    emulator test suite has its own, in macros_emulator/).

    Contracted tables on DuckDB: column types and column-level constraints (not null) as declared,
    the primary key documented but not created.

    DuckDB enforces a primary key with an ART index. Every incremental delete+insert then has to
    maintain it and every checkpoint to rewrite it: measured at 50M change rows, a 270k-row merge
    into fct_order_items took 2-5 s with the index and 0.3-0.8 s without. Snowflake, the production
    engine, does not enforce primary keys at all, so the local default now behaves as production
    does. Uniqueness is held the same way on both: the incremental merge writes by unique key, and
    every primary key has a `unique` and a `not_null` data test.
#}
{% macro duckdb__get_table_columns_and_constraints() -%}
    {{ table_columns_and_column_constraints() }}
{%- endmacro %}


{# The column list of a contracted table, with column-level constraints only (no model-level ones). #}
{% macro table_columns_and_column_constraints() -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=model['columns']) -%}
    (
    {% for c in raw_column_constraints -%}
      {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
