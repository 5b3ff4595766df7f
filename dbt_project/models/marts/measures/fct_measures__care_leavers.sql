-- Care leaver measures (measures.md 42-44): relevant and former relevant care leavers whose
-- birthday (status date) fell in the year to date, at their allocated team.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

leavers as (
    select
        clea_person_id as person_id,
        clea_status_date as status_date,
        clea_care_leaver_allocated_team as team_id,
        clea_care_leaver_in_touch = 'YES' as is_in_touch,
        clea_care_leaver_accom_suitable = 'Y' as is_suitably_accommodated,
        clea_care_leaver_activity in ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5') as is_in_eet
    from {{ ref('stg_ssd__ssd_care_leavers') }}
    where clea_care_leaver_eligibility in ('Relevant', 'Former relevant')
),

in_year as (
    select m.period_end, leavers.*, {{ is_uasc_at('uasc.uasc_from', 'leavers.status_date') }} as is_uasc
    from month_ends as m
    join leavers on {{ in_period('leavers.status_date', 'YTD') }}
    left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = leavers.person_id
),

facts as (
    select 'care_leavers_in_touch' as measure_id, period_end, team_id, is_uasc,
           {{ flag('is_in_touch') }} as numerator, 1 as denominator
    from in_year
    union all
    select 'care_leavers_suitable_accommodation', period_end, team_id, is_uasc, {{ flag('is_suitably_accommodated') }}, 1
    from in_year
    union all
    select 'care_leavers_eet', period_end, team_id, is_uasc, {{ flag('is_in_eet') }}, 1
    from in_year
    union all
    {{ measure_placeholders(['care_leavers_in_touch', 'care_leavers_suitable_accommodation', 'care_leavers_eet']) }}
)

{{ aggregate_measure_facts('facts') }}
