-- Staffing measures (measures.md 50-53): posts, caseloads and heavily loaded workers, at the
-- team of the workforce row, establishment row or allocation.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

departments as (
    select dept_team_id as team_id, dept_team_type as team_type from {{ ref('stg_ssd__ssd_department') }}
),

workforce as (
    select
        work.work_month_end as period_end,
        work.work_professional_id as worker_id,
        work.work_team as team_id,
        departments.team_type,
        work.work_fte as fte,
        work.work_contract as contract,
        work.work_qualified_sw = 'Y' as is_qualified,
        work.work_caseholding = 'Y' as is_caseholding
    from {{ ref('stg_ssd__ext_workforce') }} as work
    left join departments on departments.team_id = work.work_team
),

establishment as (
    select esta_month_end as period_end, esta_team as team_id, esta_caseholding_posts_fte as posts_fte
    from {{ ref('stg_ssd__ext_establishment') }}
),

open_allocations as (
    select
        m.period_end,
        allocations.invo_involvements_id as involvement_id,
        allocations.invo_professional_id as worker_id,
        allocations.invo_professional_team as team_id,
        allocations.invo_involvement_start_date as start_date,
        departments.team_type
    from month_ends as m
    join {{ ref('stg_ssd__ssd_involvements') }} as allocations
        on {{ is_open_at('allocations.invo_involvement_start_date', 'allocations.invo_involvement_end_date', 'm.period_end') }}
    left join departments on departments.team_id = allocations.invo_professional_team
),

-- 53. a worker's cases, counted at the team of their most recently started open allocation
worker_loads as (
    select
        period_end,
        worker_id,
        count(*) as cases,
        max(team_id) filter (where preference = 1) as team_id
    from (
        select open_allocations.*,
               row_number() over (partition by period_end, worker_id
                                  order by start_date desc, {{ id_order('involvement_id') }}) as preference
        from open_allocations
        where worker_id is not null
    ) as ranked
    group by period_end, worker_id
),

caseload_types as (
    select 'caseload_cic_teams' as measure_id, 'CIC' as team_type
    union all select 'caseload_assessment_teams', 'ASSESSMENT'
    union all select 'caseload_fostering', 'FOSTERING'
),

facts as (
    -- 50. / 51. FTE in post against caseholding posts (numerators and denominators may come from different rows)
    select 'posts_permanent_qsw' as measure_id, workforce.period_end, workforce.team_id, false as is_uasc,
           case when workforce.contract = 'PERMANENT' and workforce.is_qualified and workforce.is_caseholding
                then workforce.fte else 0 end as numerator,
           cast(0 as double) as denominator
    from workforce join month_ends as m on m.period_end = workforce.period_end
    union all
    select 'posts_agency', workforce.period_end, workforce.team_id, false,
           case when workforce.contract = 'AGENCY' and workforce.is_caseholding then workforce.fte else 0 end, 0
    from workforce join month_ends as m on m.period_end = workforce.period_end
    union all
    select measure_ids.measure_id, establishment.period_end, establishment.team_id, false, 0, establishment.posts_fte
    from establishment
    join month_ends as m on m.period_end = establishment.period_end
    cross join (select 'posts_permanent_qsw' as measure_id union all select 'posts_agency') as measure_ids

    union all
    -- 52. open allocations per caseholding FTE, by team type
    select caseload_types.measure_id, open_allocations.period_end, open_allocations.team_id, false, 1, 0
    from open_allocations
    join caseload_types on caseload_types.team_type = open_allocations.team_type
    union all
    select caseload_types.measure_id, workforce.period_end, workforce.team_id, false, 0, workforce.fte
    from workforce
    join month_ends as m on m.period_end = workforce.period_end
    join caseload_types on caseload_types.team_type = workforce.team_type
    where workforce.is_caseholding

    union all
    select 'workers_over_20_cases', period_end, team_id, false, 1, null
    from worker_loads where cases > 20
    union all
    select 'workers_over_25_cases', period_end, team_id, false, 1, null
    from worker_loads where cases > 25

    union all
    {{ measure_placeholders(['posts_permanent_qsw', 'posts_agency', 'caseload_cic_teams', 'caseload_assessment_teams',
                             'caseload_fostering', 'workers_over_20_cases', 'workers_over_25_cases']) }}
)

{{ aggregate_measure_facts('facts') }}
