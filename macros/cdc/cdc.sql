{#
    Helpers for Qlik Replicate "store changes" tables (<table>__ct).

    Every change row is exactly one of (each predicate below is true or false, never null):
      - valid: its operation is I (insert), U (update after-image) or D (delete) and its key is
        present. Staging merges these.
      - a before-image: operation B, the row as it was before an update. Ignored.
      - rejected: anything else (an unknown or missing operation code, or a valid one without its
        key). Quarantined by stg_shop__rejected_changes and never merged.
    The data test tests/cdc/assert_cdc_change_predicates_partition_rows.sql holds them to that.
#}

{% macro cdc_valid_operations() -%}
    ('I', 'U', 'D')
{%- endmacro %}


{#- the leading `is not null` makes the predicate false, not null, for a row without an operation #}
{% macro cdc_is_valid_change(key_column) -%}
    (header__change_oper is not null and header__change_oper in {{ cdc_valid_operations() }} and {{ key_column }} is not null)
{%- endmacro %}


{% macro cdc_is_before_image() -%}
    (header__change_oper is not null and header__change_oper = 'B')
{%- endmacro %}


{#- neither valid nor a before-image; both are true or false, so this is too #}
{% macro cdc_is_rejected_change(key_column) -%}
    (not {{ cdc_is_valid_change(key_column) }} and not {{ cdc_is_before_image() }})
{%- endmacro %}


{#
    In an incremental run, only change rows newer than the newest one already merged.
    The sequence (header__change_seq) is the order of changes; header__timestamp is not, since
    late-arriving changes carry older timestamps.
#}
{% macro cdc_changes_since_last_run(seq_column='header__change_seq', target_column='_cdc_change_seq') -%}
    {%- if is_incremental() %}
        and {{ newer_than_watermark(seq_column, target_column) }}
    {%- endif %}
{%- endmacro %}


{# The latest change per key wins (by sequence, never by timestamp). #}
{% macro cdc_latest_change_per_key(relation, key_column, seq_column='header__change_seq') -%}
    select * from {{ relation }}
    qualify row_number() over (partition by {{ key_column }} order by {{ seq_column }} desc) = 1
{%- endmacro %}


{#
    The quarantine's boundary for change table `table` (stg_shop__rejected_changes): the newer of
    the newest change it already quarantined from that table and the boundary the table's staging
    model started from in this run, as a literal ('' when neither is known).
#}
{% macro quarantine_boundary(table) -%}
    {%- if not execute or governance.lineage_compile_branch() is not none -%}
        {{ return("''") }}
    {%- endif -%}
    {%- set newest = run_query(
        "select max(header__change_seq) from " ~ this ~ " where source_table = '" ~ table ~ "'").rows[0][0] -%}
    {%- set staging = graph.nodes.get('model.' ~ project_name ~ '.stg_shop__' ~ table) -%}
    {%- set staged = logged_boundaries(staging).get('_cdc_change_seq')
                     if staging is not none and incremental_boundaries_log_enabled(staging) else none -%}
    {%- set candidates = [newest or ''] + ([staged['boundary'] or ''] if staged and staged['this_run'] else []) -%}
    {{ return(sql_string_literal(candidates | max)) }}
{%- endmacro %}
