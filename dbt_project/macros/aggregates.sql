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

{#
  Yes/no facts about a group packed into one integer, a bit per fact: `status_bits_any` ORs the
  bits of a group's rows (one aggregate where a max per fact would be many: nationally the
  children in need status of 92 M (month end, child) pairs took 95 s this way against 151 s
  with eight maxes, README "Scale"); `has_status_bit` reads one fact back.
#}
{% macro status_bits_any(bits_expr) -%}
    {{ return(adapter.dispatch('status_bits_any')(bits_expr)) }}
{%- endmacro %}

{% macro default__status_bits_any(bits_expr) -%}
    bit_or({{ bits_expr }})
{%- endmacro %}

{% macro has_status_bit(bits_expr, bit) -%}
    {{ return(adapter.dispatch('has_status_bit')(bits_expr, bit)) }}
{%- endmacro %}

{% macro default__has_status_bit(bits_expr, bit) -%}
    (({{ bits_expr }}) & {{ bit }}) <> 0
{%- endmacro %}
