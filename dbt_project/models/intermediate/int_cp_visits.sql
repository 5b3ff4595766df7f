{{ config(materialized='view') }}  -- read by one family alone, where it is used: stored, it cost
-- writing every row (nationally child protection with its visits 33.0-34.1 -> 29.3-29.7 s, the same sums)
-- Seen visits of each CP plan on or after its start, each with whether it came within 10
-- working days of the plan's previous seen visit, or of the plan start for the first
-- (cp_visits_in_time).
with plans as (
    select cp_plan_id, person_id, start_date from {{ ref('int_cp_plans') }}
),

seen_visits as (
    select
        visits.visit_id,
        plans.cp_plan_id,
        plans.person_id,
        plans.start_date as plan_start_date,
        visits.visit_date,
        lag(visits.visit_date) over (
            partition by plans.cp_plan_id
            order by visits.visit_date, {{ id_order('visits.visit_id') }}
        ) as previous_visit_date
    from {{ ref('stg_ssd__ssd_cp_visits') }} as visits
    inner join plans on plans.cp_plan_id = visits.cp_plan_id
    where visits.is_seen
      and visits.visit_date >= plans.start_date
)

select
    seen_visits.visit_id,
    seen_visits.cp_plan_id,
    seen_visits.person_id,
    seen_visits.visit_date,
    visit_day.working_day_number as visit_working_day_number,
    {{ working_days_between('in_time_since_day', 'visit_day') }} <= 10 as is_in_time
from seen_visits
{{ calendar_day_join('visit_day', 'seen_visits.visit_date') }}
{{ calendar_day_join('in_time_since_day', 'coalesce(seen_visits.previous_visit_date, seen_visits.plan_start_date)') }}
