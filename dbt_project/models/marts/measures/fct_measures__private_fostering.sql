-- Private fostering measures, at the arrangement's team: pf_initial_visits_7d, pf_new_visits_6wk and
-- pf_existing_visits (measures.md 9-11: visits due in the year to date held by their due date) and
-- the activity count pf_arrangements (58: arrangements open at E).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

visit_types as (
    select 'pf_initial_visits_7d' as measure_id, 'INITIAL' as visit_type
    union all
    select 'pf_new_visits_6wk', 'NEW_6WK'
    union all
    select 'pf_existing_visits', 'EXISTING_12WK'
),

event_facts as (
    select 'pf_arrangements' as measure_id, m.period_end, arrangements.team_id, false as is_uasc,
           arrangements.person_id, arrangements.arrangement_id as record_id, 1 as numerator, null as denominator
    from {{ records_by_open_month(ref('int_pf_arrangements'), 'start_date', 'end_date', 'month_ends') }} as arrangements
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = arrangements.open_month_number

    union all
    select visit_types.measure_id, m.period_end, visits.team_id, false,
           visits.person_id, visits.visit_id,
           {{ flag('visits.visit_date is not null and visits.visit_date <= visits.due_date') }}, 1
    from month_ends as m
    inner join {{ ref('int_pf_visits') }} as visits on {{ in_period('visits.due_date', 'YTD') }}
    inner join visit_types on visit_types.visit_type = visits.visit_type
)

{{ at_event_team('event_facts') }}
union all
{{ measure_placeholders('private_fostering') }}
