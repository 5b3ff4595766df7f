-- "Trend Data - Month End" (seed 002): the last 12 month ends of the extract for every
-- measure and org unit, with target and RAG.
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
from {{ ref('fct_measure_results') }} as results
inner join last_12 on last_12.period_end = results.period_end
inner join {{ ref('int_measure_catalogue') }} as catalogue on catalogue.measure_id = results.measure_id
where results.uasc_scope = 'all'
