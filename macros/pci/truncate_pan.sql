{#
    PCI DSS: a card number (PAN) truncated to its first six and last four digits, the most PCI DSS allows
    to be shown; the rest becomes '******' (the length is not kept). A value that is not 13 to 19
    characters long (no card number) becomes NULL, so a short value is never shown whole.

    Column lineage (governance/lineage/graph.py, `_is_pan_truncation`) recognises exactly this SQL as the
    transformation kind `pan_truncation`, which the policy's lineage rule of that name lowers
    (vars.governance.lineage_rules.pan_truncation). Any other slice of a card number keeps its level:
    change this macro and lineage together.
#}
{% macro truncate_pan(value) -%}
    case when length({{ value }}) between 13 and 19 then left({{ value }}, 6) || '******' || right({{ value }}, 4) end
{%- endmacro %}
