-- Children in need and allocation measures, about each child at their allocated team at E:
-- cin_with_plan (measures.md 5), cin_seen_28d (6), unallocated_cases (7), unallocated_over_28d (8),
-- children_under_3_worker_changes (54).
-- Each child's status at each month end comes from one pass: every record open at E (or in its
-- window before E) is one row, summed per child and month end, rather than a distinct snapshot
-- per kind of record joined to the others (Kent: 2.2 s -> 1.6 s, the same records). Each row sets
-- the bit of what it says about the child (macros/aggregates.sql), so the 92 M national (month
-- end, child) pairs are summed by one bitwise OR rather than a max per kind of record (the
-- family alone nationally 218.0 -> 155.4 s, the same sums; README "Scale").
{%- set bit = {
    'open_referral': 1, 'assessed_in_need': 2, 'allocated': 4, 'started_allocation': 8,
    'on_cp_plan': 16, 'looked_after': 32, 'on_cin_plan': 64, 'seen_in_28_days': 128,
} %}
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

allocations as {{ inlined() }} (
    select * from {{ ref('int_allocations') }}
),

-- a referral's child is in need from the first authorisation of an assessment of it that was not
-- NFA: joined to the referrals before they are paired with their open month ends (67 M rows
-- nationally), not after
referral_in_need_from as (
    select referral_id, min(auth_date) as in_need_from
    from {{ ref('int_assessments') }}
    where not is_outcome_nfa
    group by referral_id
),

referrals_with_in_need_date as (
    select referrals.person_id, referrals.referral_date, referrals.close_date, in_need.in_need_from
    from {{ ref('int_referrals') }} as referrals
    left join referral_in_need_from as in_need on in_need.referral_id = referrals.referral_id
),

status_records as (
    -- an open referral: an open case; in need once an assessment was authorised by E, not NFA
    select
        m.period_end,
        referrals.person_id,
        referrals.referral_date as open_referral_date,
        {{ bit.open_referral }} + case when referrals.in_need_from <= m.period_end then {{ bit.assessed_in_need }} else 0 end
            as status_bits
    from {{ records_by_open_month('referrals_with_in_need_date', 'referral_date', 'close_date', 'month_ends') }} as referrals
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = referrals.open_month_number

    -- an allocation open at E, and (children_under_3_worker_changes) one started in (E - 6 months, E]:
    -- one join of the allocations to the month ends up to the later of the allocation's end and
    -- 184 days after its start (E - 6 months is never more than 184 days before E), not one join
    -- each: 50 M fewer rows to sum nationally, the family 212.3 -> 189.3 s
    union all
    select
        m.period_end,
        allocations.person_id,
        null,
        case when {{ is_open_at('allocations.start_date', 'allocations.end_date', 'm.period_end') }}
            then {{ bit.allocated }} else 0 end
        + case when allocations.start_date > m.minus_6_months then {{ bit.started_allocation }} else 0 end
    {%- set open_or_within_184_days = 'greatest(coalesce(end_date, ' ~ open_end_date() ~ '), '
                                        ~ add_days('start_date', 184) ~ ')' %}
    from {{ records_by_open_month('allocations', 'start_date', open_or_within_184_days, 'month_ends') }} as allocations
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = allocations.open_month_number
    where {{ is_open_at('allocations.start_date', 'allocations.end_date', 'm.period_end') }}
       or allocations.start_date > m.minus_6_months

    union all
    select m.period_end, plans.person_id, null, {{ bit.on_cp_plan }}
    from {{ records_by_open_month(ref('int_cp_plans'), 'start_date', 'end_date', 'month_ends') }} as plans
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = plans.open_month_number

    -- outside the CLA measures, looked after means any episode open, short breaks included
    union all
    select m.period_end, episodes.person_id, null, {{ bit.looked_after }}
    from {{ records_by_open_month(ref('int_cla_episodes'), 'start_date', 'ceased_date', 'month_ends') }} as episodes
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = episodes.open_month_number

    union all
    select m.period_end, cin_plans.person_id, null, {{ bit.on_cin_plan }}
    from {{ records_by_open_month(ref('int_cin_plans'), 'start_date', 'end_date', 'month_ends') }} as cin_plans
    inner join month_ends as m
        on {{ month_number('m.period_end') }} = cin_plans.open_month_number

    -- cin_seen_28d: seen on a CIN visit in [E - 27 days, E]. Every month has 28 days or more, so
    -- the only E that can hold a visit is the last day of its month: an equality join, not a range
    union all
    select m.period_end, visits.person_id, null, {{ bit.seen_in_28_days }}
    from month_ends as m
    inner join {{ ref('int_cin_visits') }} as visits
        on visits.is_seen
       and m.period_end = {{ month_end('visits.visit_date') }}
       and visits.visit_date >= m.minus_27_days
),

status_at_month_end as (
    select
        period_end,
        person_id,
        {{ status_bits_any('status_bits') }} as status_bits,
        max(open_referral_date) as latest_open_referral_date,
        count(case when {{ has_status_bit('status_bits', bit.started_allocation) }} then 1 end) as started_allocations
    from status_records
    group by period_end, person_id
),

child_status as (
    select
        status_at_month_end.period_end,
        status_at_month_end.person_id,
        allocated_team.team_id,
        {{ is_uasc_at('uasc_for_team.uasc_from', 'status_at_month_end.period_end') }} as is_uasc,
        {{ has_status_bit('status_bits', bit.open_referral) }} as has_open_referral,
        latest_open_referral_date,
        {{ has_status_bit('status_bits', bit.assessed_in_need) }} as is_assessed_in_need,
        {{ has_status_bit('status_bits', bit.allocated) }} as is_allocated,
        started_allocations,
        {{ has_status_bit('status_bits', bit.on_cp_plan) }} as is_on_cp_plan,
        {{ has_status_bit('status_bits', bit.looked_after) }} as is_looked_after,
        {{ has_status_bit('status_bits', bit.on_cin_plan) }} as is_on_cin_plan,
        {{ has_status_bit('status_bits', bit.seen_in_28_days) }} as is_seen_in_28_days
    from status_at_month_end
    -- the team once per child and month end, not on each measure's records (twice as many)
    {{ join_allocated_team('status_at_month_end', uasc_at_period_end=true) }}
    -- every measure here is about a child with an open referral or on a CIN plan
    where {{ has_status_bit('status_bits', bit.open_referral) }}
       or {{ has_status_bit('status_bits', bit.on_cin_plan) }}
),

unallocated as (
    select period_end, person_id, team_id, is_uasc, latest_open_referral_date
    from child_status
    where has_open_referral and not is_allocated
),

-- unallocated_over_28d: unallocated since the later of the latest open referral and the latest allocation end <= E
latest_allocation_end as (
    select unallocated.period_end, unallocated.person_id, max(allocations.end_date) as end_date
    from unallocated
    inner join allocations
        on allocations.person_id = unallocated.person_id and allocations.end_date <= unallocated.period_end
    group by unallocated.period_end, unallocated.person_id
),

unallocated_since as (
    select
        unallocated.period_end,
        unallocated.person_id,
        unallocated.team_id,
        unallocated.is_uasc,
        greatest(unallocated.latest_open_referral_date,
                 coalesce(latest_allocation_end.end_date, unallocated.latest_open_referral_date)) as unallocated_since
    from unallocated
    left join latest_allocation_end
        on latest_allocation_end.period_end = unallocated.period_end
       and latest_allocation_end.person_id = unallocated.person_id
),

person_facts as (
    select 'cin_with_plan' as measure_id, period_end, team_id, is_uasc, person_id, person_id as record_id,
           {{ flag('is_on_cin_plan') }} as numerator, 1 as denominator
    from child_status
    where is_assessed_in_need and not is_on_cp_plan and not is_looked_after

    union all
    select 'cin_seen_28d', period_end, team_id, is_uasc, person_id, person_id, {{ flag('is_seen_in_28_days') }}, 1
    from child_status
    where is_on_cin_plan

    union all
    select 'unallocated_cases', period_end, team_id, is_uasc, person_id, person_id, 1, null
    from unallocated

    union all
    select 'unallocated_over_28d', unallocated_since.period_end, unallocated_since.team_id,
           unallocated_since.is_uasc, unallocated_since.person_id, unallocated_since.person_id, 1, null
    from unallocated_since
    where unallocated_since.unallocated_since < {{ add_days('unallocated_since.period_end', -28) }}

    union all
    select 'children_under_3_worker_changes', period_end, team_id, is_uasc, person_id, person_id,
           {{ flag('started_allocations < 3') }}, 1
    from child_status
    where has_open_referral
)

{{ person_team_records('person_facts') }}
union all
{{ measure_placeholders('children_in_need') }}
