{#
  The reporting tables of seed 002 and 000, written once and built twice: from the exact measure
  results for published.duckdb (marts/reporting) and from the disclosure-controlled ones for
  shareable.duckdb (shareable/). `results` is the relation of measure results; `published` the
  earlier publications' own-month results, or none (the previous result is then recomputed).
#}

-- The monthly scorecard (seed 002 layout) for every reporting month and org unit: latest
-- result and RAG, numerator, denominator, target, the previous result as it was published
-- (recomputed only when nothing was published for that month) and the outturn (previous
-- 31 March), each with its direction of travel.
{% macro scorecard_rows(results, published) -%}
with results as (
    select * from {{ results }} where uasc_scope = 'all'
),

catalogue as (
    select * from {{ ref('int_measure_catalogue') }}
),

month_ends as (
    select * from {{ ref('int_month_ends') }}
),

published as (
    {%- if published is not none %}
    select * from {{ published }} where uasc_scope = 'all'
    {%- else %}
    select * from results where false
    {%- endif %}
),

joined as (
    select
        results.period_end,
        results.org_unit,
        catalogue.section_order,
        catalogue.section_name as section,
        catalogue.scorecard_no,
        catalogue.measure_order,
        results.measure_id,
        catalogue.measure_name as indicator,
        catalogue.polarity,
        catalogue.period_type as data_period,
        catalogue.unit,
        results.value as latest_result,
        results.numerator,
        results.denominator,
        catalogue.target,
        catalogue.red_threshold,
        catalogue.green_band,
        catalogue.red_band,
        m.previous_period_end,
        case when published.measure_id is not null then published.value else previous.value end as previous_result,
        case when published.measure_id is not null then 'published'
             when previous.measure_id is not null then 'recomputed' end as previous_result_source,
        {{ add_days('m.financial_year_start', -1) }} as outturn_period_end,
        outturn.value as outturn_result,
        results.unavailable_reason
    from results
    inner join catalogue on catalogue.measure_id = results.measure_id
    inner join month_ends as m on m.period_end = results.period_end
    left join published
        on published.measure_id = results.measure_id
       and published.period_end = m.previous_period_end
       and published.org_unit = results.org_unit
    left join results as previous
        on previous.measure_id = results.measure_id
       and previous.period_end = m.previous_period_end
       and previous.org_unit = results.org_unit
    left join results as outturn
        on outturn.measure_id = results.measure_id
       and outturn.period_end = {{ add_days('m.financial_year_start', -1) }}
       and outturn.org_unit = results.org_unit
)

select
    period_end,
    org_unit,
    section_order,
    section,
    scorecard_no,
    measure_order,
    measure_id,
    indicator,
    polarity,
    data_period,
    unit,
    latest_result,
    {{ rag('latest_result', 'polarity', 'target', 'red_threshold', 'green_band', 'red_band') }} as rag,
    numerator,
    denominator,
    target,
    previous_period_end,
    previous_result,
    previous_result_source,
    {{ direction_of_travel('latest_result', 'previous_result', 'polarity', 'target') }} as dot_from_previous,
    outturn_period_end,
    outturn_result,
    {{ direction_of_travel('latest_result', 'outturn_result', 'polarity', 'target') }} as dot_from_outturn,
    unavailable_reason
from joined
{%- endmacro %}

-- The scorecard's "Performance summary" (seed 002): how many of the numbered indicators are
-- Green, Amber and Red, and how many improved, stayed the same or worsened against the
-- previous result and against the outturn.
{% macro scorecard_summary_rows(scorecard) -%}
select
    period_end,
    org_unit,
    count(*) as indicators,
    sum(case when rag = 'Green' then 1 else 0 end) as green,
    sum(case when rag = 'Amber' then 1 else 0 end) as amber,
    sum(case when rag = 'Red' then 1 else 0 end) as red,
    sum(case when dot_from_previous = 'improved' then 1 else 0 end) as improved_from_previous,
    sum(case when dot_from_previous = 'same' then 1 else 0 end) as same_as_previous,
    sum(case when dot_from_previous = 'worse' then 1 else 0 end) as worse_than_previous,
    sum(case when dot_from_outturn = 'improved' then 1 else 0 end) as improved_from_outturn,
    sum(case when dot_from_outturn = 'same' then 1 else 0 end) as same_as_outturn,
    sum(case when dot_from_outturn = 'worse' then 1 else 0 end) as worse_than_outturn
from {{ scorecard }}
where scorecard_no is not null
group by period_end, org_unit
{%- endmacro %}

-- "Scorecard - Impact of UASC" (seed 002): each measure published with and without UASC,
-- side by side, with the variance when UASC are excluded, for the authority, areas and teams.
{% macro uasc_impact_rows(results) -%}
with results as (
    select * from {{ results }}
),

catalogue as (
    select * from {{ ref('int_measure_catalogue') }} where uasc_split
)

select
    including.period_end,
    including.org_unit,
    org_units.org_unit_level,
    catalogue.section_order,
    catalogue.measure_order,
    including.measure_id,
    catalogue.measure_name as indicator,
    catalogue.polarity,
    catalogue.period_type as data_period,
    catalogue.target,
    including.value as including_uasc_result,
    {{ rag('including.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as including_uasc_rag,
    including.numerator as including_uasc_numerator,
    including.denominator as including_uasc_denominator,
    excluding.value as excluding_uasc_result,
    {{ rag('excluding.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as excluding_uasc_rag,
    excluding.numerator as excluding_uasc_numerator,
    excluding.denominator as excluding_uasc_denominator,
    excluding.value - including.value as variance_excluding_uasc
from results as including
inner join catalogue on catalogue.measure_id = including.measure_id
inner join results as excluding
    on excluding.measure_id = including.measure_id
   and excluding.period_end = including.period_end
   and excluding.org_unit = including.org_unit
   and excluding.uasc_scope = 'excl_uasc'
inner join {{ ref('int_org_unit_names') }} as org_units on org_units.org_unit = including.org_unit
where including.uasc_scope = 'all'
{%- endmacro %}

-- "SCS Activity" (seed 002): per org unit, this month, last month and the change for the
-- activity counts (snapshot counts: caseloads, CP plans, LAC, UASC LAC, PF cases; in-month
-- counts: referrals, assessments, CP and LAC starts and ends).
{% macro activity_rows(results) -%}
with results as (
    select * from {{ results }} where uasc_scope = 'all'
),

activity_measures as (
    select * from {{ ref('int_measure_catalogue') }} where section_id = 'activity'
)

select
    results.period_end,
    results.org_unit,
    org_units.org_unit_name,
    org_units.org_unit_level,
    activity_measures.measure_order,
    results.measure_id,
    activity_measures.measure_name as label,
    activity_measures.period_type,
    results.value as this_month,
    last_month.value as last_month,
    results.value - last_month.value as change
from results
inner join activity_measures on activity_measures.measure_id = results.measure_id
inner join {{ ref('int_month_ends') }} as m on m.period_end = results.period_end
inner join {{ ref('int_org_unit_names') }} as org_units on org_units.org_unit = results.org_unit
left join results as last_month
    on last_month.measure_id = results.measure_id
   and last_month.org_unit = results.org_unit
   and last_month.period_end = m.previous_period_end
{%- endmacro %}

-- "Trend Data - Month End" (seed 002): the last 12 month ends of the extract for every
-- measure and org unit, with target and RAG.
{% macro trend_rows(results) -%}
with last_12 as (
    select period_end from {{ ref('int_month_ends') }}
    where period_end > (select {{ add_months('max(period_end)', -12) }} from {{ ref('int_month_ends') }})
)

select
    results.period_end,
    results.org_unit,
    results.measure_id,
    results.value as result,
    catalogue.target,
    {{ rag('results.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as rag
from {{ results }} as results
inner join last_12 on last_12.period_end = results.period_end
inner join {{ ref('int_measure_catalogue') }} as catalogue on catalogue.measure_id = results.measure_id
where results.uasc_scope = 'all'
{%- endmacro %}

-- The quarterly core monitoring table (seed 000): at each quarter end, the core measures for
-- the whole authority with and without UASC, counts of children rounded to the nearest 5 for
-- publication, target and RAG, and the values at the three previous 31 Marches.
{% macro core_monitoring_rows(results) -%}
with results as (
    select * from {{ results }} where org_unit = 'LA'
),

catalogue as (
    select * from {{ ref('int_measure_catalogue') }} where core_monitoring
),

quarter_ends as (
    select period_end, financial_year_start from {{ ref('int_month_ends') }}
    where {{ extract_part('month', 'period_end') }} in (3, 6, 9, 12)
)

select
    q.period_end as quarter_end,
    catalogue.measure_order,
    results.measure_id,
    catalogue.measure_name as indicator,
    catalogue.polarity,
    catalogue.unit,
    results.uasc_scope,
    results.value as result,
    case when catalogue.unit in ('count', 'rate_per_10k', 'pct') then {{ round_to_5('results.numerator') }} end as children_rounded,
    catalogue.target,
    {{ rag('results.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as rag,
    march_1.value as previous_march_result,
    march_2.value as march_two_years_ago_result,
    march_3.value as march_three_years_ago_result
from quarter_ends as q
inner join results on results.period_end = q.period_end
inner join catalogue on catalogue.measure_id = results.measure_id
left join results as march_1
    on march_1.measure_id = results.measure_id and march_1.uasc_scope = results.uasc_scope
   and march_1.period_end = {{ add_days('q.financial_year_start', -1) }}
left join results as march_2
    on march_2.measure_id = results.measure_id and march_2.uasc_scope = results.uasc_scope
   and march_2.period_end = {{ add_years(add_days('q.financial_year_start', -1), -1) }}
left join results as march_3
    on march_3.measure_id = results.measure_id and march_3.uasc_scope = results.uasc_scope
   and march_3.period_end = {{ add_years(add_days('q.financial_year_start', -1), -2) }}
{%- endmacro %}
