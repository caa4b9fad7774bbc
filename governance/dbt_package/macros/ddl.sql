{#
    Whether governance DDL (masking policies, grants, tags) may run in this invocation.

    Always true, except on the Snowflake emulator used by the test suite: it rejects masking DDL,
    so its runs set the var `governance_ddl: false` (that DDL is checked as rendered text instead).
    On any other target the var is refused: turning masking off would publish classified columns
    in clear, so it is an error, never a silent switch.
    Hooks that emit governance DDL should start with `{% if governance.ddl_enabled() %}`.
#}
{% macro ddl_enabled() -%}
    {%- set wanted = var('governance_ddl', true) not in (false, 'false', 'False', 0, '0') -%}
    {%- if not wanted and not governance.is_emulator() -%}
        {{ exceptions.raise_compiler_error(
            "governance: `governance_ddl: false` switches masking off; it is accepted only on the Snowflake "
            ~ "emulator of the test suite (target " ~ target.name ~ " is not). Remove the var to build with masking.") }}
    {%- endif -%}
    {{ return(wanted) }}
{%- endmacro %}

{# The test suite's Snowflake emulator: a snowflake target with account `fakesnow`, run with
   DBT_SNOWFLAKE_EMULATOR=1 (which also puts the emulator's macro overrides on the path). #}
{% macro is_emulator() -%}
    {{ return(target.type == 'snowflake' and (target.account | lower) == 'fakesnow'
              and env_var('DBT_SNOWFLAKE_EMULATOR', '0') == '1') }}
{%- endmacro %}
