-- Care leaver measures, at the allocated team recorded on the care leaver's row:
-- care_leavers_in_touch (measures.md 42), care_leavers_suitable_accommodation (43),
-- care_leavers_eet (44). Relevant and former relevant care leavers whose birthday (status date)
-- fell in the year to date.
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

in_year as (
    select
        m.period_end,
        leavers.*,
        {{ is_uasc_at('leavers.uasc_from', 'leavers.status_date') }} as is_uasc
    from month_ends as m
    inner join {{ ref('int_care_leavers') }} as leavers
        on {{ in_period('leavers.status_date', 'YTD') }}
       and leavers.eligibility in ('Relevant', 'Former relevant')
),

event_facts as (
    select 'care_leavers_in_touch' as measure_id, period_end, team_id, is_uasc, person_id,
           care_leaver_status_id as record_id, {{ flag("in_touch = 'YES'") }} as numerator, 1 as denominator
    from in_year
    union all
    select 'care_leavers_suitable_accommodation', period_end, team_id, is_uasc, person_id,
           care_leaver_status_id, {{ flag('is_accommodation_suitable') }}, 1
    from in_year
    union all
    -- in education, employment or training
    select 'care_leavers_eet', period_end, team_id, is_uasc, person_id,
           care_leaver_status_id, {{ flag("activity in ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5')") }}, 1
    from in_year
)

{{ at_event_team('event_facts') }}
union all
{{ measure_placeholders('care_leavers') }}
