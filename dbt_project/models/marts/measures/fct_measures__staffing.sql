-- Staffing measures, at the team of the workforce row, establishment row or allocation:
-- posts_permanent_qsw and posts_agency (measures.md 50, 51), caseload_cic_teams,
-- caseload_assessment_teams and caseload_fostering (52), workers_over_20_cases and
-- workers_over_25_cases (53). Numerators and denominators come from different records.
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

workforce as (
    select workforce.*
    from {{ ref('int_workforce') }} as workforce
    inner join month_ends as m on m.period_end = workforce.month_end
),

open_allocations as (
    select
        m.period_end,
        allocations.involvement_id,
        allocations.person_id,
        allocations.worker_id,
        allocations.team_id,
        allocations.start_date,
        teams.team_type
    from {{ records_by_open_month(ref('int_allocations'), 'start_date', 'end_date', 'month_ends') }} as allocations
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = allocations.open_month_number
    left join {{ ref('int_teams') }} as teams on teams.team_id = allocations.team_id
),

-- workers_over_20_cases, workers_over_25_cases: a worker's cases, counted at the team of their
-- most recently started open allocation (ties: smallest id). Nearly always all of a worker's open
-- allocations are at one team, which is then that one: only the other workers' allocations are
-- ranked at E, rather than all 17.6 M allocations nationally in a window per worker
worker_cases as (
    select
        period_end,
        worker_id,
        count(*) as cases,
        min(team_id) as first_team_id,
        max(team_id) as last_team_id,
        count(team_id) as cases_with_team
    from open_allocations
    where worker_id is not null
    group by period_end, worker_id
),

workers_at_several_teams as (
    select period_end, worker_id
    from worker_cases
    where first_team_id <> last_team_id or cases_with_team < cases
),

latest_allocation_team as (
    select
        open_allocations.period_end,
        open_allocations.worker_id,
        open_allocations.team_id,
        row_number() over (
            partition by open_allocations.period_end, open_allocations.worker_id
            order by open_allocations.start_date desc, {{ id_order('open_allocations.involvement_id') }}
        ) as worker_preference
    from open_allocations
    inner join workers_at_several_teams
        on workers_at_several_teams.period_end = open_allocations.period_end
       and workers_at_several_teams.worker_id = open_allocations.worker_id
),

worker_loads as (
    select
        worker_cases.period_end,
        worker_cases.worker_id,
        worker_cases.cases,
        case when latest.worker_id is null then worker_cases.first_team_id else latest.team_id end as team_id
    from worker_cases
    left join latest_allocation_team as latest
        on latest.period_end = worker_cases.period_end
       and latest.worker_id = worker_cases.worker_id
       and latest.worker_preference = 1
),

caseload_types as (
    select 'caseload_cic_teams' as measure_id, 'CIC' as team_type
    union all
    select 'caseload_assessment_teams', 'ASSESSMENT'
    union all
    select 'caseload_fostering', 'FOSTERING'
),

event_facts as (
    -- posts_permanent_qsw, posts_agency: FTE in post (numerator) against caseholding posts (denominator)
    select 'posts_permanent_qsw' as measure_id, workforce.month_end as period_end, workforce.team_id, false as is_uasc,
           cast(null as {{ dbt.type_string() }}) as person_id, workforce.worker_id as record_id,
           case when workforce.contract = 'PERMANENT' and workforce.is_qualified_social_worker and workforce.is_caseholding
                then workforce.fte else 0 end as numerator,
           0 as denominator
    from workforce
    union all
    select 'posts_agency', workforce.month_end, workforce.team_id, false, null, workforce.worker_id,
           case when workforce.contract = 'AGENCY' and workforce.is_caseholding then workforce.fte else 0 end, 0
    from workforce
    union all
    select measure_ids.measure_id, establishment.month_end, establishment.team_id, false, null, establishment.team_id,
           0, establishment.caseholding_posts_fte
    from {{ ref('int_establishment') }} as establishment
    inner join month_ends as m on m.period_end = establishment.month_end
    cross join (
        select 'posts_permanent_qsw' as measure_id
        union all
        select 'posts_agency'
    ) as measure_ids

    union all
    -- caseload_*: allocations open at E (numerator) per caseholding FTE (denominator), by team type
    select caseload_types.measure_id, open_allocations.period_end, open_allocations.team_id, false,
           open_allocations.person_id, open_allocations.involvement_id, 1, 0
    from open_allocations
    inner join caseload_types on caseload_types.team_type = open_allocations.team_type
    union all
    select caseload_types.measure_id, workforce.month_end, workforce.team_id, false, null, workforce.worker_id,
           0, workforce.fte
    from workforce
    inner join caseload_types on caseload_types.team_type = workforce.team_type
    where workforce.is_caseholding

    union all
    select 'workers_over_20_cases', period_end, team_id, false, null, worker_id, 1, null
    from worker_loads where cases > 20
    union all
    select 'workers_over_25_cases', period_end, team_id, false, null, worker_id, 1, null
    from worker_loads where cases > 25
)

{{ at_event_team('event_facts') }}
union all
{{ measure_placeholders('staffing') }}
