{#
  Working days: Monday to Friday, excluding bank holidays in England (int_calendar, built from the
  `holidays` package). The only home of the working-day rule.

  working_days_between(a, b) = number of working days x with a < x <= b (0 when b <= a);
  "within N working days of a" means working_days_between(a, b) <= N.
#}
{% macro working_day_number(date_expr) -%}
    (select wd_dim.working_day_number from {{ ref('int_calendar') }} as wd_dim where wd_dim.date_day = {{ date_expr }})
{%- endmacro %}

{% macro working_days_between(start_expr, end_expr) -%}
    greatest({{ working_day_number(end_expr) }} - {{ working_day_number(start_expr) }}, 0)
{%- endmacro %}

{# The n-th working day after a date (n >= 1): the first d with working_days_between(a, d) = n. #}
{# One correlated lookup with the join inside it: engines decorrelate this to a hash join. #}
{% macro add_working_days(start_expr, n) -%}
    (select min(wd_to.date_day)
       from {{ ref('int_calendar') }} as wd_from
       join {{ ref('int_calendar') }} as wd_to
         on wd_to.working_day_number = wd_from.working_day_number + {{ n }} and wd_to.is_working_day
      where wd_from.date_day = {{ start_expr }})
{%- endmacro %}
