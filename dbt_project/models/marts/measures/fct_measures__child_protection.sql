-- Child protection measures (measures.md 12-22, 59) and CP activity counts (58). CP plans,
-- visits and reviews carry no team of their own, so they count at the child's allocated team
-- at E; S47 enquiries and conferences at the team recorded on them.
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

visits as (
    select * from {{ ref('int_cp_visits') }}
),

reviews as (
    select
        cppr_cp_review_id as review_id,
        cppr_cp_plan_id as cp_plan_id,
        cppr_person_id as person_id,
        cppr_cp_review_due as due_date,
        cppr_cp_review_date is not null and cppr_cp_review_date <= cppr_cp_review_due as is_on_time
    from {{ ref('stg_ssd__ssd_cp_reviews') }}
),

open_plans as (
    select m.period_end, m.working_day_number as period_end_working_day_number, plans.*
    from month_ends as m
    join plans on {{ is_open_at('plans.start_date', 'plans.end_date', 'm.period_end') }}
),

-- 13. seen visits of open plans up to E, each in time or not
visits_of_open_plans as (
    select open_plans.period_end, open_plans.person_id,
           count(*) as visits, sum({{ flag('visits.is_in_time') }}) as in_time
    from open_plans
    join visits on visits.cp_plan_id = open_plans.cp_plan_id and visits.visit_date <= open_plans.period_end
    group by open_plans.period_end, open_plans.person_id
),

-- 14. open plans with a review due by E: were all of them held on time?
reviews_of_open_plans as (
    select open_plans.period_end, open_plans.person_id, open_plans.cp_plan_id,
           min({{ flag('reviews.is_on_time') }}) as all_on_time
    from open_plans
    join reviews on reviews.cp_plan_id = open_plans.cp_plan_id and reviews.due_date <= open_plans.period_end
    group by open_plans.period_end, open_plans.person_id, open_plans.cp_plan_id
),

-- 21. children on a plan running 10+ working days: seen on a visit of that plan in the last 10
seen_in_10_working_days as (
    select open_plans.period_end, open_plans.person_id,
           max({{ flag('visits.visit_id is not null') }}) as was_seen
    from open_plans
    left join visits
        on visits.cp_plan_id = open_plans.cp_plan_id
       and visits.visit_date <= open_plans.period_end
       and visits.visit_working_day_number >= open_plans.period_end_working_day_number - 10
    where open_plans.tenth_working_day <= open_plans.period_end
    group by open_plans.period_end, open_plans.person_id
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
    -- 16. plans starting in the year to date after any earlier plan
    select 'cp_repeat_ever', m.period_end, plans.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'plans.start_date') }},
           {{ flag('plans.has_earlier_plan') }}, 1
    from month_ends as m
    join plans on {{ in_period('plans.start_date', 'YTD') }}
    left join uasc on uasc.person_id = plans.person_id

    union all
    -- 58. children (not plans) on a CP plan at E; 59. the same per 10,000 children
    select measure_ids.measure_id, on_plan.period_end, on_plan.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'on_plan.period_end') }}, 1, null
    from (select distinct period_end, person_id from open_plans) as on_plan
    cross join (select 'cp_plans' as measure_id union all select 'cp_per_10k') as measure_ids
    left join uasc on uasc.person_id = on_plan.person_id

    union all
    -- 13. CP visits held within 10 working days of the previous one
    select 'cp_visits_in_time', v.period_end, v.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'v.period_end') }}, v.in_time, v.visits
    from visits_of_open_plans as v
    left join uasc on uasc.person_id = v.person_id

    union all
    -- 14. open plans whose every due review was held on time
    select 'cp_reviews_in_time', r.period_end, r.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'r.period_end') }}, r.all_on_time, 1
    from reviews_of_open_plans as r
    left join uasc on uasc.person_id = r.person_id

    union all
    -- 21. children seen in the last 10 working days
    select 'cp_seen_10wd', s.period_end, s.person_id,
           {{ is_uasc_at('uasc.uasc_from', 's.period_end') }}, s.was_seen, 1
    from seen_in_10_working_days as s
    left join uasc on uasc.person_id = s.person_id

    union all
    -- 22. review conferences due in the year to date held on or before the due date
    select 'cp_review_conferences_in_time', m.period_end, reviews.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'reviews.due_date') }}, {{ flag('reviews.is_on_time') }}, 1
    from month_ends as m
    join reviews on {{ in_period('reviews.due_date', 'YTD') }}
    left join uasc on uasc.person_id = reviews.person_id
),

facts as (
    {{ at_allocated_team('plan_facts') }}

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
    -- 18. S47 enquiries ended in the year to date (child born by the start) where the child was seen
    select 's47_child_seen', m.period_end, enquiries.s47e_s47_completed_by_team,
           {{ is_uasc_at('uasc.uasc_from', 'enquiries.s47e_s47_end_date') }},
           {{ flag("enquiries.s47e_child_seen = 'Y'") }}, 1
    from month_ends as m
    join {{ ref('stg_ssd__ssd_s47_enquiry') }} as enquiries on {{ in_period('enquiries.s47e_s47_end_date', 'YTD') }}
    join {{ ref('stg_ssd__ssd_person') }} as people
        on people.pers_person_id = enquiries.s47e_person_id
       and people.pers_dob <= enquiries.s47e_s47_start_date
    left join uasc on uasc.person_id = enquiries.s47e_person_id

    union all
    {{ measure_placeholders(['cp_plans_18m_plus', 'cp_repeat_within_24m', 'cp_repeat_ever', 'cp_ended_2y_plus',
                             'cp_started', 'cp_ended', 'cp_plans', 'cp_per_10k', 'cp_visits_in_time',
                             'cp_reviews_in_time', 'cp_seen_10wd', 'cp_review_conferences_in_time',
                             'icpc_within_15wd', 'icpc_to_cp_plan', 's47_child_seen']) }}
)

{{ aggregate_measure_facts('facts') }}
