-- Child protection measures: cp_plans_18m_plus (measures.md 12), cp_visits_in_time (13),
-- cp_reviews_in_time (14), cp_repeat_within_24m (15), cp_repeat_ever (16), cp_ended_2y_plus (17),
-- s47_child_seen (18), icpc_within_15wd (19), icpc_to_cp_plan (20), cp_seen_10wd (21),
-- cp_review_conferences_in_time (22); the activity counts cp_plans, cp_started, cp_ended (58);
-- cp_per_10k (59). CP plans, visits and reviews carry no team of their own, so they count at the
-- child's allocated team at E; S47 enquiries and conferences at the team recorded on them.
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

plans as {{ inlined() }} (
    select * from {{ ref('int_cp_plans') }}
),

conferences as {{ inlined() }} (
    select * from {{ ref('int_icpcs') }}
),

visits as {{ inlined() }} (
    select * from {{ ref('int_cp_visits') }}
),

reviews as {{ inlined() }} (
    select * from {{ ref('int_cp_reviews') }}
),

plans_open_at_month_end as (
    select m.period_end, m.working_day_number as period_end_working_day_number, plans.*
    from {{ records_by_open_month('plans', 'start_date', 'end_date', 'month_ends') }} as plans
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = plans.open_month_number
),

-- the child's team at E once per open plan and month end, which the records of open plans (their
-- visits above all) carry, rather than a join on every record
open_plans as (
    select plans_open_at_month_end.*, allocated_team.team_id
    from plans_open_at_month_end
    {{ join_allocated_team('plans_open_at_month_end') }}
),

-- cp_reviews_in_time: open plans with a review due by E, and whether every such review was held on time
reviews_of_open_plans as (
    select open_plans.period_end, open_plans.person_id, open_plans.cp_plan_id, open_plans.uasc_from,
           open_plans.team_id, min({{ flag('reviews.is_held_on_time') }}) as all_on_time
    from open_plans
    inner join reviews on reviews.cp_plan_id = open_plans.cp_plan_id and reviews.due_date <= open_plans.period_end
    group by open_plans.period_end, open_plans.person_id, open_plans.cp_plan_id, open_plans.uasc_from,
             open_plans.team_id
),

-- cp_seen_10wd: children on a plan running 10+ working days, seen on a visit of such a plan in the last 10
seen_in_10_working_days as (
    select open_plans.period_end, open_plans.person_id, open_plans.uasc_from, open_plans.team_id,
           max({{ flag('visits.visit_id is not null') }}) as was_seen
    from open_plans
    left join visits
        on visits.cp_plan_id = open_plans.cp_plan_id
       and visits.visit_date <= open_plans.period_end
       and visits.visit_working_day_number >= open_plans.period_end_working_day_number - 10
    where open_plans.tenth_working_day <= open_plans.period_end
    group by open_plans.period_end, open_plans.person_id, open_plans.uasc_from, open_plans.team_id
),

-- records of plans open at E, carrying the child's team at E
open_plan_facts as (
    -- cp_plans_18m_plus: plans open at E that started 18 months or more before
    select 'cp_plans_18m_plus' as measure_id, open_plans.period_end, open_plans.person_id,
           open_plans.cp_plan_id as record_id, open_plans.team_id,
           {{ is_uasc_at('open_plans.uasc_from', 'open_plans.period_end') }} as is_uasc,
           {{ flag('open_plans.start_date <= m.minus_18_months') }} as numerator, 1 as denominator
    from open_plans
    inner join month_ends as m on m.period_end = open_plans.period_end

    union all
    -- cp_plans: children (not plans) on a CP plan at E; cp_per_10k: the same per 10,000 children
    select measure_ids.measure_id, on_plan.period_end, on_plan.person_id, on_plan.person_id, on_plan.team_id,
           {{ is_uasc_at('on_plan.uasc_from', 'on_plan.period_end') }}, 1, null
    from (select distinct period_end, person_id, uasc_from, team_id from open_plans) as on_plan
    cross join (
        select 'cp_plans' as measure_id
        union all
        select 'cp_per_10k'
    ) as measure_ids

    union all
    -- cp_visits_in_time: seen visits of plans open at E, up to E, held within 10 working days of the previous
    select 'cp_visits_in_time', open_plans.period_end, open_plans.person_id, visits.visit_id, open_plans.team_id,
           {{ is_uasc_at('open_plans.uasc_from', 'open_plans.period_end') }},
           {{ flag('visits.is_in_time') }}, 1
    from open_plans
    inner join visits on visits.cp_plan_id = open_plans.cp_plan_id and visits.visit_date <= open_plans.period_end

    union all
    -- cp_reviews_in_time: open plans whose every due review was held on time
    select 'cp_reviews_in_time', period_end, person_id, cp_plan_id, team_id,
           {{ is_uasc_at('uasc_from', 'period_end') }}, all_on_time, 1
    from reviews_of_open_plans

    union all
    -- cp_seen_10wd: children seen in the last 10 working days
    select 'cp_seen_10wd', period_end, person_id, person_id, team_id,
           {{ is_uasc_at('uasc_from', 'period_end') }}, was_seen, 1
    from seen_in_10_working_days
),

-- measures of the year to date: each record once, over the month ends whose year holds it
-- (first/last_month_end_in_period), not once per month end
person_ranges as (
    -- cp_repeat_within_24m: plans starting in the year to date after an earlier plan ended within 24 months
    select 'cp_repeat_within_24m' as measure_id,
           {{ first_month_end_in_period('plans.start_date') }} as first_period_end,
           {{ last_month_end_in_period('plans.start_date', 'YTD') }} as last_period_end,
           plans.person_id, plans.cp_plan_id as record_id,
           {{ is_uasc_at('plans.uasc_from', 'plans.start_date') }} as is_uasc,
           {{ flag('plans.has_earlier_plan_ended_24m') }} as numerator, 1 as denominator
    from plans

    union all
    -- cp_repeat_ever: plans starting in the year to date after any earlier plan
    select 'cp_repeat_ever',
           {{ first_month_end_in_period('plans.start_date') }},
           {{ last_month_end_in_period('plans.start_date', 'YTD') }},
           plans.person_id, plans.cp_plan_id,
           {{ is_uasc_at('plans.uasc_from', 'plans.start_date') }},
           {{ flag('plans.has_earlier_plan') }}, 1
    from plans

    union all
    -- cp_ended_2y_plus: plans ending in the year to date that lasted 2 years or more
    select 'cp_ended_2y_plus',
           {{ first_month_end_in_period('plans.end_date') }},
           {{ last_month_end_in_period('plans.end_date', 'YTD') }},
           plans.person_id, plans.cp_plan_id,
           {{ is_uasc_at('plans.uasc_from', 'plans.end_date') }},
           {{ flag('plans.lasted_2_years_plus') }}, 1
    from plans

    union all
    -- cp_review_conferences_in_time: review conferences due in the year to date held on or before the due date
    select 'cp_review_conferences_in_time',
           {{ first_month_end_in_period('reviews.due_date') }},
           {{ last_month_end_in_period('reviews.due_date', 'YTD') }},
           reviews.person_id, reviews.review_id,
           {{ is_uasc_at('reviews.uasc_from', 'reviews.due_date') }}, {{ flag('reviews.is_held_on_time') }}, 1
    from reviews
),

person_facts as (
    -- cp_started, cp_ended: plans starting / ending in the month
    select 'cp_started' as measure_id, m.period_end, plans.person_id, plans.cp_plan_id as record_id,
           {{ is_uasc_at('plans.uasc_from', 'plans.start_date') }} as is_uasc, 1 as numerator, null as denominator
    from month_ends as m
    inner join plans on {{ in_period('plans.start_date', 'M') }}

    union all
    select 'cp_ended', m.period_end, plans.person_id, plans.cp_plan_id,
           {{ is_uasc_at('plans.uasc_from', 'plans.end_date') }}, 1, null
    from month_ends as m
    inner join plans on {{ in_period('plans.end_date', 'M') }}
),

event_ranges as (
    -- icpc_within_15wd: conferences (not transfer-in, with an S47 enquiry) within 15 working days of its start
    select 'icpc_within_15wd' as measure_id,
           {{ first_month_end_in_period('conferences.icpc_date') }} as first_period_end,
           {{ last_month_end_in_period('conferences.icpc_date', 'YTD') }} as last_period_end,
           conferences.team_id,
           {{ is_uasc_at('conferences.uasc_from', 'conferences.icpc_date') }} as is_uasc,
           conferences.person_id, conferences.icpc_id as record_id,
           {{ flag('conferences.working_days_from_s47_start <= 15') }} as numerator, 1 as denominator
    from conferences
    where not conferences.is_transfer_in
      and conferences.has_s47_enquiry

    union all
    -- icpc_to_cp_plan: conferences (not transfer-in) leading to a CP plan
    select 'icpc_to_cp_plan',
           {{ first_month_end_in_period('conferences.icpc_date') }},
           {{ last_month_end_in_period('conferences.icpc_date', 'YTD') }},
           conferences.team_id,
           {{ is_uasc_at('conferences.uasc_from', 'conferences.icpc_date') }},
           conferences.person_id, conferences.icpc_id,
           {{ flag('conferences.is_outcome_cp_plan') }}, 1
    from conferences
    where not conferences.is_transfer_in

    union all
    -- s47_child_seen: S47 enquiries ended in the year to date, child born by the start, where the child was seen
    select 's47_child_seen',
           {{ first_month_end_in_period('enquiries.end_date') }},
           {{ last_month_end_in_period('enquiries.end_date', 'YTD') }},
           enquiries.team_id,
           {{ is_uasc_at('enquiries.uasc_from', 'enquiries.end_date') }},
           enquiries.person_id, enquiries.s47_enquiry_id,
           {{ flag('enquiries.is_child_seen') }}, 1
    from {{ ref('int_s47_enquiries') }} as enquiries
    where not enquiries.is_unborn_at_start
)

{{ person_team_records('open_plan_facts') }}
union all
{{ at_allocated_team('person_facts') }}
union all
{{ at_allocated_team_over_months('person_ranges', uasc_at_period_end=false) }}
union all
{{ at_event_team_over_months('event_ranges') }}
union all
{{ measure_placeholders('child_protection') }}
