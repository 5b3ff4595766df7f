{#
  The value on the row with the lowest order_expr in its group, even when that value is null
  (a preferred allocation without a team leaves the team unknown; it does not fall back to the
  next one). Rows whose order_expr is null are not considered.
#}
{% macro value_at_lowest(value_expr, order_expr) -%}
    {{ return(adapter.dispatch('value_at_lowest')(value_expr, order_expr)) }}
{%- endmacro %}

{% macro default__value_at_lowest(value_expr, order_expr) -%}
    min_by({{ value_expr }}, {{ order_expr }})
{%- endmacro %}

{# DuckDB's arg_min skips null values; arg_min_null keeps them. #}
{% macro duckdb__value_at_lowest(value_expr, order_expr) -%}
    arg_min_null({{ value_expr }}, {{ order_expr }})
{%- endmacro %}
