-- Child protection plans, with repeat-plan and duration flags.
with plans as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_cp_plans') }}
),

earlier_plans as (
    select
        plan.cp_plan_id,
        count(earlier.cp_plan_id) > 0 as has_earlier_plan,
        -- cp_repeat_within_24m: an earlier plan (earlier start) that ended in [start - 24 months, start]
        count(case when earlier.end_date >= {{ add_months('plan.start_date', -24) }}
                    and earlier.end_date <= plan.start_date
                   then earlier.cp_plan_id end) > 0 as has_earlier_plan_ended_24m
    from plans as plan
    left join plans as earlier
        on earlier.person_id = plan.person_id
       and earlier.start_date < plan.start_date
    group by plan.cp_plan_id
)

select
    plans.cp_plan_id,
    plans.person_id,
    plans.start_date,
    plans.end_date,
    earlier_plans.has_earlier_plan,
    earlier_plans.has_earlier_plan_ended_24m,
    -- cp_ended_2y_plus, "lasting 2 years or more": end >= start + 2 years
    coalesce(plans.end_date >= {{ add_years('plans.start_date', 2) }}, false) as lasted_2_years_plus,
    -- cp_seen_10wd: from this date the plan has run at least 10 working days (wd(start, E) >= 10)
    tenth_day.date_day as tenth_working_day,
    uasc.uasc_from
from plans
inner join earlier_plans on earlier_plans.cp_plan_id = plans.cp_plan_id
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = plans.person_id
{{ calendar_day_join('start_day', 'plans.start_date') }}
{{ nth_working_day_join('tenth_day', 'start_day', 10) }}
