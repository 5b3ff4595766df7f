-- Child protection measures (measures.md 11, 14, 15, 17, 19, 20 in the seed's numbering;
-- 12, 15, 17, 19, 20 in measures.md) and CP activity counts (58). CP plans carry no team of
-- their own, so they count at the child's allocated team at E; conferences at their own team.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

plans as (
    select * from {{ ref('int_cp_plans') }}
),

conferences as (
    select * from {{ ref('int_icpcs') }}
),

uasc as (
    select * from {{ ref('int_person_uasc') }}
),

person_team as (
    select * from {{ ref('int_person_team_at_month_end') }}
),

plan_facts as (
    -- 12. open plans at E lasting 18 months or more
    select 'cp_plans_18m_plus' as measure_id, m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'm.period_end') }} as is_uasc,
           {{ flag('plans.start_date <= m.minus_18_months') }} as numerator, 1 as denominator
    from month_ends as m
    join plans on {{ is_open_at('plans.start_date', 'plans.end_date', 'm.period_end') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    -- 15. plans starting in the year to date: earlier plan ended within 24 months
    select 'cp_repeat_within_24m', m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'plans.start_date') }},
           {{ flag('plans.has_earlier_plan_ended_24m') }}, 1
    from month_ends as m
    join plans on {{ in_period('plans.start_date', 'YTD') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    -- 17. plans ending in the year to date that lasted 2 years or more
    select 'cp_ended_2y_plus', m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'plans.end_date') }},
           {{ flag('plans.lasted_2_years_plus') }}, 1
    from month_ends as m
    join plans on {{ in_period('plans.end_date', 'YTD') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    -- 58. plans starting / ending in the month
    select 'cp_started', m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'plans.start_date') }}, 1, null
    from month_ends as m
    join plans on {{ in_period('plans.start_date', 'M') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    select 'cp_ended', m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'plans.end_date') }}, 1, null
    from month_ends as m
    join plans on {{ in_period('plans.end_date', 'M') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    -- 58. children (not plans) on a CP plan at E
    select 'cp_plans', on_plan.period_end, on_plan.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'on_plan.period_end') }}, 1, null
    from (
        select distinct m.period_end, plans.person_id
        from month_ends as m
        join plans on {{ is_open_at('plans.start_date', 'plans.end_date', 'm.period_end') }}
    ) as on_plan
    left join uasc on uasc.person_id = on_plan.person_id
),

facts as (
    select plan_facts.measure_id, plan_facts.period_end, person_team.team_id, plan_facts.is_uasc,
           plan_facts.numerator, plan_facts.denominator
    from plan_facts
    left join person_team
        on person_team.period_end = plan_facts.period_end and person_team.person_id = plan_facts.person_id

    union all
    -- 19. conferences (not transfer-in, with an S47 enquiry) within 15 working days of its start
    select 'icpc_within_15wd', m.period_end, conferences.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'conferences.icpc_date') }},
           {{ flag('conferences.working_days_from_s47_start <= 15') }}, 1
    from month_ends as m
    join conferences
        on {{ in_period('conferences.icpc_date', 'YTD') }}
       and not conferences.is_transfer_in
       and conferences.has_s47_enquiry
    left join uasc on uasc.person_id = conferences.person_id

    union all
    -- 20. conferences (not transfer-in) leading to a CP plan
    select 'icpc_to_cp_plan', m.period_end, conferences.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'conferences.icpc_date') }},
           {{ flag('conferences.is_outcome_cp_plan') }}, 1
    from month_ends as m
    join conferences
        on {{ in_period('conferences.icpc_date', 'YTD') }}
       and not conferences.is_transfer_in
    left join uasc on uasc.person_id = conferences.person_id

    union all
    {{ measure_placeholders(['cp_plans_18m_plus', 'cp_repeat_within_24m', 'cp_ended_2y_plus', 'cp_started',
                             'cp_ended', 'cp_plans', 'icpc_within_15wd', 'icpc_to_cp_plan']) }}
)

{{ aggregate_measure_facts('facts') }}
