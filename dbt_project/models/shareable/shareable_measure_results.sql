-- measure_results as it may leave the service (pipelines/disclosure.py): a suppressed cell
-- carries no number; numerators, denominators and count results are rounded to the policy's
-- base; percentages, averages and rates are as computed.
{{ config(alias='measure_results') }}
with results as {{ inlined() }} (
    select * from {{ ref('fct_measure_results') }}
),

catalogue as (
    select measure_id, unit from {{ ref('int_measure_catalogue') }}
),

suppression as {{ inlined() }} (
    select * from {{ ref('shareable_cell_suppression') }}
),

policy as (
    select rounding_base from {{ ref('shareable_disclosure_policy') }}
)

select
    results.measure_id,
    results.period_end,
    results.org_unit,
    results.uasc_scope,
    case when suppression.measure_id is null
        then {{ round_to_base('results.numerator', 'policy.rounding_base') }} end as numerator,
    case when suppression.measure_id is null
        then {{ round_to_base('results.denominator', 'policy.rounding_base') }} end as denominator,
    case
        when suppression.measure_id is not null then null
        when catalogue.unit = 'count' then {{ round_to_base('results.value', 'policy.rounding_base') }}
        else results.value
    end as value,
    suppression.measure_id is not null as suppressed,
    results.unavailable_reason
from results
inner join catalogue on catalogue.measure_id = results.measure_id
cross join policy
left join suppression
    on suppression.measure_id = results.measure_id
   and suppression.period_end = results.period_end
   and suppression.org_unit = results.org_unit
   and suppression.uasc_scope = results.uasc_scope
