{#
  Working days: Monday to Friday, excluding bank holidays in England (int_calendar, built from the
  `holidays` package). The only home of the working-day rule.

  working_days_between(a, b) = number of working days x with a < x <= b (0 when b <= a);
  "within N working days of a" means working_days_between(a, b) <= N.

  A date's working day is looked up by joining its calendar day in the FROM clause
  (calendar_day_join), not by a scalar subquery per row: DuckDB decorrelates such a subquery by
  materialising the whole query under it and joining back (national CP visits, 31 M rows:
  46.0 s with three lookups as subqueries, 10.4 s as joins; README "Scale").
#}

{# The calendar day of date_expr, joined as `alias` (alias.working_day_number; null beyond the calendar). #}
{% macro calendar_day_join(alias, date_expr) -%}
    left join {{ ref('int_calendar') }} as {{ alias }} on {{ alias }}.date_day = {{ date_expr }}
{%- endmacro %}

{# Between two calendar days joined by calendar_day_join (their aliases). #}
{% macro working_days_between(start_day, end_day) -%}
    greatest({{ end_day }}.working_day_number - {{ start_day }}.working_day_number, 0)
{%- endmacro %}

{# The n-th working day after a joined calendar day (n >= 1), joined as `alias` (alias.date_day):
   the working day d with working_days_between(a, d) = n, one at most (a working day's number is its own). #}
{% macro nth_working_day_join(alias, start_day, n) -%}
    left join {{ ref('int_calendar') }} as {{ alias }}
        on {{ alias }}.working_day_number = {{ start_day }}.working_day_number + {{ n }}
       and {{ alias }}.is_working_day
{%- endmacro %}
