{#
  "Open at d": start <= d and (end is null or end > d). A record ending on d is not open at d.
  The only home of the snapshot rule.
#}
{% macro is_open_at(start_expr, end_expr, at_expr) -%}
    ({{ start_expr }} <= {{ at_expr }} and ({{ end_expr }} is null or {{ end_expr }} > {{ at_expr }}))
{%- endmacro %}
