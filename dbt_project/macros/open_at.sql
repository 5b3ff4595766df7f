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

{#
  The records of `records` (a relation), each once per month end of `month_ends` at which it is
  open (is_open_at(start, end, E)), tagged with that month end's month_number():
      from {{ records_by_open_month('referrals', 'referral_date', 'close_date', 'month_ends') }} as referrals
      inner join month_ends as m on {{ month_number('m.period_end') }} = referrals.open_month_number
  start and end are expressions over the records' columns (no month-end column shares their
  names). The way to pair records with the month ends they are open at.
  On DuckDB each record's open months are generated as numbers, from the month it starts in to
  the month before the one it ends in (first/last_month_end_open), within those of `month_ends`,
  and joined by equality; elsewhere, the range join of is_open_at. DuckDB runs that range join
  by sorting both sides (a piecewise merge join): nationally the families' summing queries took
  children in need 97.9-99.5 -> 86.5-90.4 s, referrals and assessments 61.3-61.7 -> 55.8-56.5,
  staffing 25.3-26.1 -> 17.5-17.6, child protection 33.3-35.5 -> 35.7-37.0 (its visits are then
  joined the other way round), the same sums (README "Scale", eleventh sitting).
#}
{% macro records_by_open_month(records, start_expr, end_expr, month_ends) -%}
    {{ return(adapter.dispatch('records_by_open_month')(records, start_expr, end_expr, month_ends)) }}
{%- endmacro %}

{% macro default__records_by_open_month(records, start_expr, end_expr, month_ends) -%}
    (
        select open_records.*, {{ month_number('open_months.period_end') }} as open_month_number
        from {{ records }} as open_records
        inner join {{ month_ends }} as open_months on {{ is_open_at(start_expr, end_expr, 'open_months.period_end') }}
    )
{%- endmacro %}

{#
  The bounds are first/last_month_end_open() as month numbers, worked out from the dates' own
  months (the start's month; the end's month less one): calling those macros and numbering their
  dates took children in need 99.8 s against 82.9 s nationally, the same sums.
  greatest() and least() skip nulls: with no start, no months; with no month ends, none either.
#}
{% macro duckdb__records_by_open_month(records, start_expr, end_expr, month_ends) -%}
    (
        select
            open_records.*,
            unnest(generate_series(
                case when {{ start_expr }} is not null then greatest(
                    {{ month_number(start_expr) }},
                    (select min({{ month_number('period_end') }}) from {{ month_ends }})
                ) end,
                least(
                    {{ month_number('coalesce(' ~ end_expr ~ ', ' ~ open_end_date() ~ ')') }} - 1,
                    coalesce((select max({{ month_number('period_end') }}) from {{ month_ends }}), 0)
                )
            )) as open_month_number
        from {{ records }} as open_records
    )
{%- endmacro %}

{#
  Of each person's records of `records` (a CTE or relation with person_id), the one open at each
  month end E of `month_ends` with the latest start (ties: the greatest id), as rows of
  (period_end, the record's columns):
      from {{ latest_open_at_month_end('placements', 'start_date', 'end_date', 'placement_id', ref('int_month_ends')) }} as current_placement
  Ranking the records open at E is only needed for a person two of whose records are open at
  some month end; for the others (98.6% of placements and of episodes nationally) their one open record
  is the latest. A person is ranked when, in the order of their records' first open month, a
  record opens by the last open month of one before it (month ranges as records_by_open_month
  takes them): nationally the current placement at each month end 4.9 -> 2.1 s, the same rows.
  Records with no person are ranked together, as a window over (E, person) would. The rows also
  carry open_month_number and latest_first (1).
#}
{#
  How far a person's earlier records reach: the latest last open month end (or month number) of
  the records before this one, in the order of their first (then last) open month. A record whose
  first open month is after it meets none of them: the sweep that merges a child's referrals into
  runs of open months (open cases) and finds the children two of whose records are open at one
  month end (latest_open_at_month_end).
#}
{% macro reached_by_earlier_records(first_expr, last_expr, partition_by='person_id') -%}
    max({{ last_expr }}) over (
        partition by {{ partition_by }}
        order by {{ first_expr }}, {{ last_expr }}
        rows between unbounded preceding and 1 preceding
    )
{%- endmacro %}

{% macro latest_open_at_month_end(records, start_col, end_col, id_col, month_ends) -%}
    {%- set last_open_month = month_number('coalesce(' ~ end_col ~ ', ' ~ open_end_date() ~ ')') ~ ' - 1' -%}
    (
        with open_month_bounds as (
            select
                person_id,
                {{ month_number(start_col) }} as first_open_month,
                {{ reached_by_earlier_records(month_number(start_col), last_open_month) }} as latest_open_month_before
            from {{ records }}
            where {{ start_col }} is not null
        ),

        people_with_overlaps as (
            select distinct person_id from open_month_bounds where latest_open_month_before >= first_open_month
        ),

        records_alone as (
            select * from {{ records }} as candidates
            where candidates.person_id is not null
              and not exists (select 1 from people_with_overlaps as o where o.person_id = candidates.person_id)
        ),

        records_overlapping as (
            select * from {{ records }} as candidates
            where candidates.person_id is null
               or exists (select 1 from people_with_overlaps as o where o.person_id = candidates.person_id)
        ),

        ranked as (
            select
                open_months.period_end,
                open_records.*,
                row_number() over (
                    partition by open_months.period_end, open_records.person_id
                    order by open_records.{{ start_col }} desc, {{ id_order('open_records.' ~ id_col, 'desc') }}
                ) as latest_first
            from {{ records_by_open_month('records_overlapping', start_col, end_col, month_ends) }} as open_records
            inner join {{ month_ends }} as open_months
                on {{ month_number('open_months.period_end') }} = open_records.open_month_number
        )

        select open_months.period_end, open_records.*, 1 as latest_first
        from {{ records_by_open_month('records_alone', start_col, end_col, month_ends) }} as open_records
        inner join {{ month_ends }} as open_months
            on {{ month_number('open_months.period_end') }} = open_records.open_month_number
        union all
        select * from ranked where latest_first = 1
    )
{%- endmacro %}
