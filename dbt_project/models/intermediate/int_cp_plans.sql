-- Child protection plans, with repeat-plan and duration flags.
with plans as (
    select * from {{ ref('stg_ssd__ssd_cp_plans') }}
),

earlier_plans as (
    select
        plan.cppl_cp_plan_id as cp_plan_id,
        count(earlier.cppl_cp_plan_id) > 0 as has_earlier_plan,
        -- an earlier plan (earlier start) that ended in [start - 24 months, start]
        count(case when earlier.cppl_cp_plan_end_date >= {{ add_months('plan.cppl_cp_plan_start_date', -24) }}
                    and earlier.cppl_cp_plan_end_date <= plan.cppl_cp_plan_start_date
                   then earlier.cppl_cp_plan_id end) > 0 as has_earlier_plan_ended_24m
    from plans as plan
    left join plans as earlier
        on earlier.cppl_person_id = plan.cppl_person_id
       and earlier.cppl_cp_plan_start_date < plan.cppl_cp_plan_start_date
    group by plan.cppl_cp_plan_id
)

select
    plans.cppl_cp_plan_id as cp_plan_id,
    plans.cppl_person_id as person_id,
    plans.cppl_cp_plan_start_date as start_date,
    plans.cppl_cp_plan_end_date as end_date,
    plans.cppl_icpc_id as icpc_id,
    earlier_plans.has_earlier_plan,
    earlier_plans.has_earlier_plan_ended_24m,
    -- "lasting 2 years or more": end >= start + 2 years
    coalesce(plans.cppl_cp_plan_end_date >= {{ add_years('plans.cppl_cp_plan_start_date', 2) }}, false) as lasted_2_years_plus,
    -- from this date the plan has run at least 10 working days (wd(start, E) >= 10)
    {{ add_working_days('plans.cppl_cp_plan_start_date', 10) }} as tenth_working_day
from plans
join earlier_plans on earlier_plans.cp_plan_id = plans.cppl_cp_plan_id
