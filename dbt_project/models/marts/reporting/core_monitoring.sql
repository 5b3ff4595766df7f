-- The quarterly core monitoring table (seed 000): at each quarter end, the core measures for
-- the whole authority with and without UASC, counts of children rounded to the nearest 5 for
-- publication, target and RAG, and the values at the three previous 31 Marches.
with results as (
    select * from {{ ref('fct_measure_results') }} where org_unit = 'LA'
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
