{{ config(materialized='table') }}

-- Every implemented measure for every month end, org unit and scope (the output contract of
-- measure_results). Org units: 'LA' (everything, records with no team included), every
-- department with children (area) and every team. Scopes: 'all', plus 'excl_uasc' for the
-- measures the catalogue marks uasc_split, computed without UASC persons.
with facts as {{ inlined() }} (
    select * from {{ ref('int_measure_facts') }}
),

catalogue as {{ inlined() }} (
    select * from {{ ref('int_measure_catalogue') }}
    where measure_id in (select measure_id from facts)
),

scoped_facts as (
    select facts.*, 'all' as uasc_scope from facts
    union all
    select facts.*, 'excl_uasc' as uasc_scope
    from facts
    inner join catalogue on catalogue.measure_id = facts.measure_id
    where catalogue.uasc_split and not facts.is_uasc
),

by_org_unit as (
    select measure_id, period_end, 'LA' as org_unit, uasc_scope,
           sum(numerator) as numerator, sum(denominator) as denominator
    from scoped_facts
    group by measure_id, period_end, uasc_scope
    union all
    select scoped_facts.measure_id, scoped_facts.period_end, org_units.org_unit, scoped_facts.uasc_scope,
           sum(scoped_facts.numerator), sum(scoped_facts.denominator)
    from scoped_facts
    inner join {{ ref('int_org_units') }} as org_units on org_units.team_id = scoped_facts.team_id
    group by scoped_facts.measure_id, scoped_facts.period_end, org_units.org_unit, scoped_facts.uasc_scope
),

org_unit_list as (
    select 'LA' as org_unit
    union all
    select distinct org_unit from {{ ref('int_org_units') }}
),

scopes as (
    select 'all' as uasc_scope, false as needs_split
    union all
    select 'excl_uasc', true
),

grid as (
    select catalogue.measure_id, catalogue.unit, m.period_end, org_unit_list.org_unit, scopes.uasc_scope
    from catalogue
    cross join {{ ref('int_month_ends') }} as m
    cross join org_unit_list
    cross join scopes
    where (catalogue.uasc_split or not scopes.needs_split)
      -- rates need a population, which only the whole authority has
      and (catalogue.attribution <> 'la_only' or org_unit_list.org_unit = 'LA')
),

results as (
    select
        grid.measure_id,
        grid.period_end,
        grid.org_unit,
        grid.uasc_scope,
        grid.unit,
        cast(coalesce(by_org_unit.numerator, 0) as double) as numerator,
        cast(case grid.unit
            when 'count' then null
            when 'rate_per_10k' then population.population_0_17
            else coalesce(by_org_unit.denominator, 0)
        end as double) as denominator,
        case
            when availability.missing_tables is not null then 'extract lacks ' || availability.missing_tables
            when availability.missing_for_earlier_months is not null and grid.period_end < extract_month.period_end
                then 'extract lacks ' || availability.missing_for_earlier_months
                    || ': published for the extract''s own month only'
        end as unavailable_reason
    from grid
    cross join (select max(period_end) as period_end from {{ ref('int_month_ends') }}) as extract_month
    left join by_org_unit
        on by_org_unit.measure_id = grid.measure_id
       and by_org_unit.period_end = grid.period_end
       and by_org_unit.org_unit = grid.org_unit
       and by_org_unit.uasc_scope = grid.uasc_scope
    left join {{ ref('int_population') }} as population on population.period_end = grid.period_end
    left join {{ ref('int_measure_availability') }} as availability on availability.measure_id = grid.measure_id
)

select
    measure_id,
    period_end,
    org_unit,
    uasc_scope,
    case when unavailable_reason is null then numerator end as numerator,
    case when unavailable_reason is null then denominator end as denominator,
    case
        when unavailable_reason is not null then null
        when unit = 'count' then numerator
        when unit = 'pct' then 100.0 * numerator / nullif(denominator, 0)
        when unit = 'rate_per_10k' then 10000.0 * numerator / nullif(denominator, 0)
        when unit = 'average' then numerator / nullif(denominator, 0)
    end as value,
    unavailable_reason
from results
