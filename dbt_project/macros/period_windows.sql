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
    ({{ date_expr }} >= {{ m }}.month_start and {{ date_expr }} <= {{ m }}.period_end)
    {%- elif period == 'R12' -%}
    ({{ date_expr }} > {{ m }}.minus_12_months and {{ date_expr }} <= {{ m }}.period_end)
    {%- else -%}
    {{ exceptions.raise_compiler_error("in_period: unknown period type " ~ period) }}
    {%- endif -%}
{%- endmacro %}
