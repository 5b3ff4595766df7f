-- Seen visits of each CP plan on or after its start, each with whether it came within 10
-- working days of the plan's previous seen visit (or of the plan start, for the first).
with plans as (
    select cp_plan_id, person_id, start_date from {{ ref('int_cp_plans') }}
),

seen_visits as (
    select
        visits.cppv_cp_visit_id as visit_id,
        plans.cp_plan_id,
        plans.person_id,
        plans.start_date as plan_start_date,
        visits.cppv_cp_visit_date as visit_date,
        lag(visits.cppv_cp_visit_date) over (
            partition by plans.cp_plan_id
            order by visits.cppv_cp_visit_date, {{ id_order('visits.cppv_cp_visit_id') }}
        ) as previous_visit_date
    from {{ ref('stg_ssd__ssd_cp_visits') }} as visits
    join plans on plans.cp_plan_id = visits.cppv_cp_plan_id
    where visits.cppv_cp_visit_seen = 'Y'
      and visits.cppv_cp_visit_date >= plans.start_date
)

select
    visit_id,
    cp_plan_id,
    person_id,
    visit_date,
    {{ working_day_number('visit_date') }} as visit_working_day_number,
    {{ working_days_between('coalesce(previous_visit_date, plan_start_date)', 'visit_date') }} <= 10 as is_in_time
from seen_visits
