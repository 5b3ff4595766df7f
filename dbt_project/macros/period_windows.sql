{#
  Period windows of a reporting month (a row of int_month_ends aliased `m`):
    YTD  financial year to date  [F, E]
    M    in month               [first of month, E]
    R12  rolling twelve months  (E - 12 months, E]
  Snapshot (SS) measures use is_open_at() at m.period_end instead (records_by_open_month() to pair
  records with the month ends they are open at).
#}
{% macro in_period(date_expr, period, m='m') -%}
    {%- if period == 'YTD' -%}
    ({{ date_expr }} >= {{ m }}.financial_year_start and {{ date_expr }} <= {{ m }}.period_end)
    {%- elif period == 'M' -%}
    {#- the date's month end is E: the same window as month_start <= d <= E, as an equality a
        join can hash (front door nationally 44.7 -> ~21 s with the decisions' ranges) rather
        than a range join sorting both sides #}
    ({{ m }}.period_end = {{ month_end(date_expr) }})
    {%- elif period == 'R12' -%}
    ({{ date_expr }} > {{ m }}.minus_12_months and {{ date_expr }} <= {{ m }}.period_end)
    {%- else -%}
    {{ exceptions.raise_compiler_error("in_period: unknown period type " ~ period) }}
    {%- endif -%}
{%- endmacro %}

{#
  The month ends E whose window of the period holds a date: the inverse of in_period(), for
  records counted over a range of month ends at once (at_allocated_team_over_months). From the
  date's own month end (the first E on or after it) to
    M    the same month end
    YTD  31 March of the financial year holding the date (every E of that year from the date on)
    R12  the last month end E with E - 12 months before the date (11 months on; 12 from a 29 February)
  Clamped to the reporting months by at_allocated_team_over_months.
#}
{% macro first_month_end_in_period(date_expr) -%}
    {{ month_end(date_expr) }}
{%- endmacro %}

{% macro last_month_end_in_period(date_expr, period) -%}
    {%- if period == 'M' -%}
    {{ month_end(date_expr) }}
    {%- elif period == 'YTD' -%}
    {{ financial_year_end(date_expr) }}
    {%- elif period == 'R12' -%}
    {#- E - 12 months < date: up to 11 months on, or 12 when E - 12 months falls short of the
        date's month end (a 29 February is in the window of the next 28 February) #}
    {%- set a_year_on = month_end(add_months(date_expr, 12)) -%}
    case when {{ add_months(a_year_on, -12) }} < {{ date_expr }}
        then {{ a_year_on }} else {{ month_end(add_months(date_expr, 11)) }} end
    {%- else -%}
    {{ exceptions.raise_compiler_error("last_month_end_in_period: period " ~ period ~ " is not written yet") }}
    {%- endif -%}
{%- endmacro %}
