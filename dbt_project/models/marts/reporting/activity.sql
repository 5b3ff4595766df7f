-- "SCS Activity" (seed 002): per org unit, this month, last month and the change for the
-- activity counts (snapshot counts: caseloads, CP plans, LAC, UASC LAC, PF cases; in-month
-- counts: referrals, assessments, CP and LAC starts and ends).
with results as (
    select * from {{ ref('fct_measure_results') }} where uasc_scope = 'all'
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
