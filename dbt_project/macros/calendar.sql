{#
  Calendar arithmetic: d +/- N months keeps the day of the month, clamped to the target month's
  length (31 May - 3 months = 28/29 Feb; 29 Feb 2016 + 1 year = 28 Feb 2017).
#}
{% macro add_months(date_expr, n) -%}
    cast({{ dbt.dateadd('month', n, date_expr) }} as date)
{%- endmacro %}

{% macro add_years(date_expr, n) -%}
    {{ add_months(date_expr, n * 12) }}
{%- endmacro %}

{% macro add_days(date_expr, n) -%}
    {{ return(adapter.dispatch('add_days')(date_expr, n)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, n) -%}
    cast({{ dbt.dateadd('day', n, date_expr) }} as date)
{%- endmacro %}

{# DuckDB adds days to a date as an integer, a date out: no interval arithmetic through a
   timestamp (0.06 s against 0.19 s over 12.5 M dates) #}
{% macro duckdb__add_days(date_expr, n) -%}
    (cast({{ date_expr }} as date) + ({{ n }}))
{%- endmacro %}

{# 31 March ending the financial year (1 April - 31 March) that holds the date. On DuckDB built
   from the date's year (make_date): 0.16 s against 1.09 s for the month and year truncation and
   interval arithmetic over 12.5 M dates. #}
{% macro financial_year_end(date_expr) -%}
    {{ return(adapter.dispatch('financial_year_end')(date_expr)) }}
{%- endmacro %}

{% macro default__financial_year_end(date_expr) -%}
    {{ month_end(add_months(add_months(dbt.date_trunc('year', add_months(date_expr, -3)), 3), 11)) }}
{%- endmacro %}

{% macro duckdb__financial_year_end(date_expr) -%}
    make_date(
        cast({{ extract_part('year', date_expr) }} + case when {{ extract_part('month', date_expr) }} >= 4 then 1 else 0 end as integer),
        3, 31
    )
{%- endmacro %}

{# The last day of the date's month: its month end. On DuckDB its own last_day(), which took 0.54
   s against 2.5 s for dbt's date_trunc and interval arithmetic over the 55 M national CIN visits. #}
{% macro month_end(date_expr) -%}
    {{ return(adapter.dispatch('month_end')(date_expr)) }}
{%- endmacro %}

{% macro default__month_end(date_expr) -%}
    cast({{ dbt.last_day(date_expr, 'month') }} as date)
{%- endmacro %}

{% macro duckdb__month_end(date_expr) -%}
    last_day(cast({{ date_expr }} as date))
{%- endmacro %}

{# Age in whole years at d: a 29 February birthday is reached on 1 March in other years. #}
{% macro age_at(dob_expr, at_expr) -%}
    ({{ extract_part('year', at_expr) }} - {{ extract_part('year', dob_expr) }}
     - case when {{ extract_part('month', at_expr) }} * 100 + {{ extract_part('day', at_expr) }}
                 < {{ extract_part('month', dob_expr) }} * 100 + {{ extract_part('day', dob_expr) }}
            then 1 else 0 end)
{%- endmacro %}

{#
  Identifiers are strings (leading zeros kept). Tie-breaks on "smallest"/"greatest" id compare
  them as numbers when they are numbers, else as text: id_number() is null for a non-number.
#}
{% macro id_number(id_expr) -%}
    {{ return(adapter.dispatch('id_number')(id_expr)) }}
{%- endmacro %}

{% macro default__id_number(id_expr) -%}
    {{ dbt.safe_cast(id_expr, api.Column.translate_type('bigint')) }}
{%- endmacro %}

{% macro duckdb__id_number(id_expr) -%}
    try_cast({{ id_expr }} as bigint)
{%- endmacro %}

{% macro id_order(id_expr, direction='asc') -%}
    {{ id_number(id_expr) }} {{ direction }}, {{ id_expr }} {{ direction }}
{%- endmacro %}

{# A part (year, month, day, dow: 0 = Sunday) of a date, in standard SQL. #}
{% macro extract_part(part, date_expr) -%}
    extract({{ part }} from {{ date_expr }})
{%- endmacro %}

{# Months counted from year 0 (year * 12 + month): consecutive months differ by 1. #}
{% macro month_number(date_expr) -%}
    ({{ extract_part('year', date_expr) }} * 12 + {{ extract_part('month', date_expr) }})
{%- endmacro %}
