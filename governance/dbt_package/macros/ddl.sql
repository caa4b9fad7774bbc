{#
    Whether governance DDL (masking policies, grants, tags) may run in this invocation.
    True unless the invocation sets the var `governance_ddl: false`; the Snowflake emulator test
    suite sets it, since the emulator rejects that DDL (it is checked as text instead).
    Hooks that emit governance DDL should start with `{% if governance.ddl_enabled() %}`.
#}
{% macro ddl_enabled() -%}
    {{ return(var('governance_ddl', true) not in (false, 'false', 'False', 0, '0')) }}
{%- endmacro %}
