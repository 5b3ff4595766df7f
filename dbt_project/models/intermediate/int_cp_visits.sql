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
    visit_id,
    cp_plan_id,
    person_id,
    visit_date,
    {{ working_day_number('visit_date') }} as visit_working_day_number,
    {{ working_days_between('coalesce(previous_visit_date, plan_start_date)', 'visit_date') }} <= 10 as is_in_time
from seen_visits
