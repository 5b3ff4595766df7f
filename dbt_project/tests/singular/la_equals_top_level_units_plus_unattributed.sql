-- For every additive measure (all but the LA-only rates) the whole authority's numerator and
-- denominator equal the sums over the top-level org units (areas, and teams with no area)
-- plus the records attributed to no team.
-- a blocking check on the published results (dagster-dbt attaches a multi-model test by this ref)
{{ config(meta={'dagster': {'ref': {'name': 'fct_measure_results'}}}) }}
with unattributed as (
    select measure_id, period_end, sum(numerator) as numerator, sum(denominator) as denominator
    from {{ ref('int_measure_facts') }}
    where team_id is null
    group by measure_id, period_end
),

top_level as (
    select results.measure_id, results.period_end,
           sum(results.numerator) as numerator, sum(results.denominator) as denominator
    from {{ ref('fct_measure_results') }} as results
    inner join {{ ref('int_teams') }} as teams
        on teams.team_id = results.org_unit and teams.parent_team_id is null
    where results.uasc_scope = 'all' and results.unavailable_reason is null
    group by results.measure_id, results.period_end
),

la as (
    select results.measure_id, results.period_end, results.numerator, results.denominator
    from {{ ref('fct_measure_results') }} as results
    inner join {{ ref('int_measure_catalogue') }} as catalogue on catalogue.measure_id = results.measure_id
    where results.org_unit = 'LA' and results.uasc_scope = 'all' and results.unavailable_reason is null
      and catalogue.attribution <> 'la_only'
)

select la.measure_id, la.period_end, la.numerator, la.denominator,
       coalesce(top_level.numerator, 0) + coalesce(unattributed.numerator, 0) as parts_numerator,
       coalesce(top_level.denominator, 0) + coalesce(unattributed.denominator, 0) as parts_denominator
from la
left join top_level on top_level.measure_id = la.measure_id and top_level.period_end = la.period_end
left join unattributed on unattributed.measure_id = la.measure_id and unattributed.period_end = la.period_end
where abs(la.numerator - (coalesce(top_level.numerator, 0) + coalesce(unattributed.numerator, 0))) > 1e-6
   or abs(coalesce(la.denominator, 0) - (coalesce(top_level.denominator, 0) + coalesce(unattributed.denominator, 0))) > 1e-6
