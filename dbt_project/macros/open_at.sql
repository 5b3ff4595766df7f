{#
  "Open at d": start <= d and (end is null or end > d). A record ending on d is not open at d.
  The only home of the snapshot rule.
  Written with the open end as the last possible date rather than `end is null or end > d`: two
  plain inequalities let the engine join a table of records to the month ends as a range join
  (DuckDB's inequality join) instead of pairing each record with every month end it started
  before and filtering (nationally 939 M pairs for 67 M open referrals).
#}
{% macro is_open_at(start_expr, end_expr, at_expr) -%}
    ({{ start_expr }} <= {{ at_expr }} and coalesce({{ end_expr }}, {{ open_end_date() }}) > {{ at_expr }})
{%- endmacro %}

{# The end of a record with no end date: after any date a record can hold. #}
{% macro open_end_date() -%}
    cast('9999-12-31' as date)
{%- endmacro %}

{#
  The month ends at which a record is open (is_open_at at a month end E) as a range of month
  ends, for joins that take a record's open months at once rather than month end by month end:
  from the end of the month it starts in, to the end of the month before the one it ends in (the
  last month end before its end date); with no end date, to the end of the month before
  open_end_date(). A record ending in the month it starts in is open at no month end (first > last).
#}
{% macro first_month_end_open(start_expr) -%}
    {{ month_end(start_expr) }}
{%- endmacro %}

{% macro last_month_end_open(end_expr) -%}
    {{ add_days(dbt.date_trunc('month', 'coalesce(' ~ end_expr ~ ', ' ~ open_end_date() ~ ')'), -1) }}
{%- endmacro %}
