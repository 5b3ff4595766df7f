-- Private fostering activity (measures.md 58): arrangements open at E, at their own team.
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
    {{ measure_placeholders(['pf_arrangements']) }}
)

{{ aggregate_measure_facts('facts') }}
