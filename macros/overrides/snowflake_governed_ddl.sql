{#
    Masking policies in the statement that creates a relation (README "## Masking", Snowflake).

    Replaces four dbt-snowflake macros (dbt-snowflake 1.12, include/snowflake/macros/), each with the
    stock statement plus the classified columns' masking policies, so that no table, view or new
    column is ever visible without its policy (the policies are not attached afterwards by a hook):

    - snowflake__create_table_info_schema_sql (relations/table/create.sql): the CREATE [TRANSIENT]
      TABLE ... AS SELECT of tables, incremental first runs and full refreshes, and snapshots. The
      column list names every column with its type and `with masking policy`; on a static-masking
      (non-production) target the query itself masks the classified columns.
    - snowflake__create_view_as (relations/view/create.sql; Snowflake's version of the dispatched
      built-in default__create_view_as): CREATE VIEW with a column list that
      carries the policies (and the column comments when docs are persisted). Temporary views
      (session-private, incremental merges) keep the stock snowflake__create_view_as_with_temp_flag.
    - snowflake__alter_relation_add_remove_columns (adapters.sql; Snowflake's version of the dispatched
      built-in default__alter_relation_add_remove_columns): on_schema_change adds a new
      column with its policy in the same ALTER.
    - snowflake__create_csv_table (materializations/seed.sql; Snowflake's version of the dispatched
      built-in default__create_csv_table): a seed's table is created with its
      policies before its rows are loaded.

    The columns, checks and clauses come from the governance package (masking_snowflake_ddl.sql):
    every check that can fail runs before the statement is sent. Nodes that classify nothing at a
    masked level (and the emulator of the test suite) get the stock statements.
#}

{% macro snowflake__create_table_info_schema_sql(relation, compiled_code) -%}
{%- set catalog_relation = adapter.build_catalog_relation(config.model) -%}
{%- set transient = 'transient ' if catalog_relation.is_transient else '' -%}
{%- set copy_grants = config.get('copy_grants', default=false) -%}
{%- set copy_tags = config.get('copy_tags', default=false) -%}
{%- set row_access_policy = config.get('row_access_policy', default=none) -%}
{%- set table_tag = config.get('table_tag', default=none) -%}
{%- set contract_config = config.get('contract') -%}
{%- if contract_config.enforced -%}
    {{- get_assert_columns_equivalent(compiled_code) -}}
    {%- set compiled_code = get_select_subquery(compiled_code) -%}
{%- endif -%}
{%- set governed = governance.snowflake__governed_table(relation, compiled_code) -%}
{%- set governed_columns = governed['columns'] -%}
{%- set compiled_code = governed['sql'] -%}
{%- set sql_header = config.get('sql_header', none) -%}
{{ sql_header if sql_header is not none }}

create or replace {{ transient }}table {{ relation }}
    {%- if governed_columns %}
    {{ governed_columns }}
    {%- elif contract_config.enforced %}
    {{ get_table_columns_and_constraints() }}
    {%- endif %}
    {% if copy_grants -%} copy grants {%- endif %}
    {% if copy_tags -%} copy tags {%- endif %}
    {% if row_access_policy -%} with row access policy {{ row_access_policy }} {%- endif %}
    {% if table_tag -%} with tag ({{ table_tag }}) {%- endif %}
    {{ optional('change_tracking', catalog_relation.change_tracking) }}
    as (
        {%- if catalog_relation.cluster_by is not none -%}
        select * from (
            {{ compiled_code }}
        )
        order by (
            {{ catalog_relation.cluster_by }}
        )
        {%- else -%}
        {{ compiled_code }}
        {%- endif %}
    )
;

{% if catalog_relation.cluster_by is not none -%}
alter table {{ relation }} cluster by ({{ catalog_relation.cluster_by }});
{%- endif -%}

{% if catalog_relation.automatic_clustering and catalog_relation.cluster_by is not none %}
alter table {{ relation }} resume recluster;
{%- endif -%}
{%- endmacro %}


{% macro snowflake__create_view_as(relation, sql) -%}
  {%- set secure = config.get('secure', default=false) -%}
  {%- set copy_grants = config.get('copy_grants', default=false) -%}
  {%- set row_access_policy = config.get('row_access_policy', default=none) -%}
  {%- set table_tag = config.get('table_tag', default=none) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {%- set governed_columns = governance.snowflake__view_column_list(relation, sql) -%}

  {{ sql_header if sql_header is not none }}
  create or replace {% if secure -%} secure {%- endif %} view {{ relation }}
  {% if governed_columns -%}
    {{ governed_columns }}
  {%- elif config.persist_column_docs() -%}
    {% set model_columns = model.columns %}
    {% set query_columns = get_columns_in_query(sql) %}
    {{ get_persist_docs_column_list(model_columns, query_columns) }}
  {%- endif %}
  {%- set contract_config = config.get('contract') -%}
  {%- if contract_config.enforced -%}
    {{ get_assert_columns_equivalent(sql) }}
  {%- endif %}
  {% if copy_grants -%} copy grants {%- endif %}
  {% if row_access_policy -%} with row access policy {{ row_access_policy }} {%- endif %}
  {% if table_tag -%} with tag ({{ table_tag }}) {%- endif %}
  as (
    {{ sql }}
  );
{%- endmacro %}


{% macro snowflake__alter_relation_add_remove_columns(relation, add_columns, remove_columns) %}
    {% if relation.is_interactive_table -%}
        {% set relation_type = "table" %}
    {% elif relation.is_dynamic_table -%}
        {% set relation_type = "dynamic table" %}
    {% else -%}
        {% set relation_type = relation.type %}
    {% endif %}
    {% if relation.is_interactive_table and remove_columns %}
        {% do exceptions.raise_compiler_error("Columns cannot be removed from an interactive table: `" ~ relation ~ "`.") %}
    {% endif %}

    {% if add_columns %}
    {%- set policies = governance.snowflake__prepare_policies(relation, governance.snowflake__column_dicts(add_columns), partial=true) -%}
    {% set sql -%}
       alter {{ relation.get_ddl_prefix_for_alter() }} {{ relation_type }} {{ relation.render() }} add column
          {% for column in add_columns %}
            {{ adapter.quote(column.name) }} {{ snowflake__get_column_data_type_for_alter(relation, column) }}
            {{- governance.snowflake__policy_clause(policies, column.name) }}{{ ',' if not loop.last }}
          {% endfor %}
    {%- endset -%}
    {% do run_query(sql) %}
    {% endif %}

    {% if remove_columns %}
    {% set sql -%}
        alter {{ relation.get_ddl_prefix_for_alter() }} {{ relation_type }} {{ relation.render() }} drop column
            {% for column in remove_columns %}
                {{ adapter.quote(column.name) }}{{ ',' if not loop.last }}
            {% endfor %}
    {%- endset -%}
    {% do run_query(sql) %}
    {% endif %}
{% endmacro %}


{% macro snowflake__create_csv_table(model, agate_table) %}
    {%- set catalog_relation = adapter.build_catalog_relation(config.model) -%}
    {%- set transient = 'transient ' if catalog_relation.is_transient else '' -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set columns = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do columns.append({'name': col_name | string, 'data_type': column_override.get(col_name, inferred_type),
                               'char_size': none}) -%}
    {%- endfor -%}
    {%- set policies = governance.snowflake__prepare_policies(this, columns) -%}

    {% set sql %}
        create {{ transient }}table {{ this.render() }} (
            {%- for column in columns -%}
                {{ adapter.quote_seed_column(column['name'], quote_seed_column) }} {{ column['data_type'] }}
                {{- governance.snowflake__policy_clause(policies, column['name']) }} {%- if not loop.last -%}, {%- endif -%}
            {%- endfor -%}
        )
    {% endset %}

    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}

    {{ return(sql) }}
{% endmacro %}
