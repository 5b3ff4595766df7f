-- Below the authority, every count that leaves the service is at least the disclosure threshold
-- (a zero too, unless the policy publishes zeros): any row returned is a disclosure.
-- a blocking check on the shareable results (dagster-dbt attaches a multi-model test by this ref)
{{ config(meta={'dagster': {'ref': {'name': 'shareable_measure_results'}}}) }}
with policy as (
    select threshold, suppress_zeros from {{ ref('shareable_disclosure_policy') }}
),

small as (
    select shared.measure_id, shared.period_end, shared.org_unit, shared.uasc_scope
    from {{ ref('shareable_measure_results') }} as shared
    inner join {{ ref('fct_measure_results') }} as exact
        on exact.measure_id = shared.measure_id
       and exact.period_end = shared.period_end
       and exact.org_unit = shared.org_unit
       and exact.uasc_scope = shared.uasc_scope
    cross join policy
    where shared.org_unit <> 'LA'
      and not shared.suppressed
      and (
          (exact.numerator < policy.threshold and (policy.suppress_zeros or exact.numerator <> 0))
          or (exact.denominator < policy.threshold and (policy.suppress_zeros or exact.denominator <> 0))
      )
)

select * from small
