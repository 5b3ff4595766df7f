-- Children in need and allocation measures, about each child at their allocated team at E:
-- cin_with_plan (measures.md 5), cin_seen_28d (6), unallocated_cases (7), unallocated_over_28d (8),
-- children_under_3_worker_changes (54).
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

referrals as (
    select * from {{ ref('int_referrals') }}
),

allocations as (
    select * from {{ ref('int_allocations') }}
),

open_cases as (
    select distinct m.period_end, referrals.person_id
    from month_ends as m
    inner join referrals on {{ is_open_at('referrals.referral_date', 'referrals.close_date', 'm.period_end') }}
),

allocated as (
    select distinct m.period_end, allocations.person_id
    from month_ends as m
    inner join allocations on {{ is_open_at('allocations.start_date', 'allocations.end_date', 'm.period_end') }}
),

-- cin_with_plan: an open referral with an assessment authorised by E that was not NFA
assessed_in_need as (
    select distinct m.period_end, referrals.person_id
    from month_ends as m
    inner join referrals on {{ is_open_at('referrals.referral_date', 'referrals.close_date', 'm.period_end') }}
    inner join {{ ref('int_assessments') }} as assessments
        on assessments.referral_id = referrals.referral_id
       and assessments.auth_date <= m.period_end
       and not assessments.is_outcome_nfa
),

on_cp_plan as (
    select distinct m.period_end, plans.person_id
    from month_ends as m
    inner join {{ ref('int_cp_plans') }} as plans on {{ is_open_at('plans.start_date', 'plans.end_date', 'm.period_end') }}
),

looked_after_any as (
    -- outside the CLA measures, looked after means any episode open, short breaks included
    select distinct m.period_end, episodes.person_id
    from month_ends as m
    inner join {{ ref('int_cla_episodes') }} as episodes
        on {{ is_open_at('episodes.start_date', 'episodes.ceased_date', 'm.period_end') }}
),

on_cin_plan as (
    select distinct m.period_end, cin_plans.person_id
    from month_ends as m
    inner join {{ ref('int_cin_plans') }} as cin_plans
        on {{ is_open_at('cin_plans.start_date', 'cin_plans.end_date', 'm.period_end') }}
),

-- cin_seen_28d: seen on a CIN visit in [E - 27 days, E]
seen_in_28_days as (
    select distinct m.period_end, visits.person_id
    from month_ends as m
    inner join {{ ref('int_cin_visits') }} as visits
        on visits.is_seen
       and visits.visit_date >= m.minus_27_days
       and visits.visit_date <= m.period_end
),

unallocated as (
    select open_cases.period_end, open_cases.person_id
    from open_cases
    left join allocated
        on allocated.period_end = open_cases.period_end and allocated.person_id = open_cases.person_id
    where allocated.person_id is null
),

-- unallocated_over_28d: unallocated since the later of the latest open referral and the latest allocation end <= E
latest_open_referral as (
    select unallocated.period_end, unallocated.person_id, max(referrals.referral_date) as referral_date
    from unallocated
    inner join referrals
        on referrals.person_id = unallocated.person_id
       and {{ is_open_at('referrals.referral_date', 'referrals.close_date', 'unallocated.period_end') }}
    group by unallocated.period_end, unallocated.person_id
),

latest_allocation_end as (
    select unallocated.period_end, unallocated.person_id, max(allocations.end_date) as end_date
    from unallocated
    inner join allocations
        on allocations.person_id = unallocated.person_id and allocations.end_date <= unallocated.period_end
    group by unallocated.period_end, unallocated.person_id
),

unallocated_since as (
    select
        latest_open_referral.period_end,
        latest_open_referral.person_id,
        greatest(latest_open_referral.referral_date,
                 coalesce(latest_allocation_end.end_date, latest_open_referral.referral_date)) as unallocated_since
    from latest_open_referral
    left join latest_allocation_end
        on latest_allocation_end.period_end = latest_open_referral.period_end
       and latest_allocation_end.person_id = latest_open_referral.person_id
),

-- children_under_3_worker_changes: allocations started in (E - 6 months, E]
recent_allocations as (
    select m.period_end, allocations.person_id, count(*) as started
    from month_ends as m
    inner join allocations
        on allocations.start_date > m.minus_6_months
       and allocations.start_date <= m.period_end
    group by m.period_end, allocations.person_id
),

person_facts as (
    select 'cin_with_plan' as measure_id, in_need.period_end, in_need.person_id, in_need.person_id as record_id,
           {{ flag('on_cin_plan.person_id is not null') }} as numerator, 1 as denominator
    from assessed_in_need as in_need
    left join on_cp_plan on on_cp_plan.period_end = in_need.period_end and on_cp_plan.person_id = in_need.person_id
    left join looked_after_any
        on looked_after_any.period_end = in_need.period_end and looked_after_any.person_id = in_need.person_id
    left join on_cin_plan on on_cin_plan.period_end = in_need.period_end and on_cin_plan.person_id = in_need.person_id
    where on_cp_plan.person_id is null and looked_after_any.person_id is null

    union all
    select 'cin_seen_28d', on_cin_plan.period_end, on_cin_plan.person_id, on_cin_plan.person_id,
           {{ flag('seen_in_28_days.person_id is not null') }}, 1
    from on_cin_plan
    left join seen_in_28_days
        on seen_in_28_days.period_end = on_cin_plan.period_end and seen_in_28_days.person_id = on_cin_plan.person_id

    union all
    select 'unallocated_cases', period_end, person_id, person_id, 1, null
    from unallocated

    union all
    select 'unallocated_over_28d', unallocated_since.period_end, unallocated_since.person_id, unallocated_since.person_id, 1, null
    from unallocated_since
    inner join month_ends as m on m.period_end = unallocated_since.period_end
    where unallocated_since.unallocated_since < {{ add_days('m.period_end', -28) }}

    union all
    select 'children_under_3_worker_changes', open_cases.period_end, open_cases.person_id, open_cases.person_id,
           {{ flag('coalesce(recent_allocations.started, 0) < 3') }}, 1
    from open_cases
    left join recent_allocations
        on recent_allocations.period_end = open_cases.period_end and recent_allocations.person_id = open_cases.person_id
)

{{ at_allocated_team('person_facts', uasc_at_period_end=true) }}
union all
{{ measure_placeholders('children_in_need') }}
