-- Private fostering (measures.md 9-11, 58): visits held by their due date, and arrangements
-- open at E, at the arrangement's team.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

facts as (
    select 'pf_arrangements' as measure_id, m.period_end, arrangements.pfar_team as team_id,
           false as is_uasc, 1 as numerator, cast(null as integer) as denominator
    from month_ends as m
    join {{ ref('stg_ssd__ext_pf_arrangements') }} as arrangements
        on {{ is_open_at('arrangements.pfar_start_date', 'arrangements.pfar_end_date', 'm.period_end') }}

    union all
    select visit_types.measure_id, m.period_end, arrangements.pfar_team, false,
           {{ flag('visits.pfvi_visit_date is not null and visits.pfvi_visit_date <= visits.pfvi_due_date') }}, 1
    from month_ends as m
    join {{ ref('stg_ssd__ext_pf_visits') }} as visits on {{ in_period('visits.pfvi_due_date', 'YTD') }}
    join (select 'pf_initial_visits_7d' as measure_id, 'INITIAL' as visit_type
          union all select 'pf_new_visits_6wk', 'NEW_6WK'
          union all select 'pf_existing_visits', 'EXISTING_12WK') as visit_types
        on visit_types.visit_type = visits.pfvi_visit_type
    left join {{ ref('stg_ssd__ext_pf_arrangements') }} as arrangements
        on arrangements.pfar_arrangement_id = visits.pfvi_arrangement_id

    union all
    {{ measure_placeholders(['pf_arrangements', 'pf_initial_visits_7d', 'pf_new_visits_6wk', 'pf_existing_visits']) }}
)

{{ aggregate_measure_facts('facts') }}
