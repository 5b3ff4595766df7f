-- The team a person's snapshot measures are attributed to at each month end: the team of
-- their allocation open at E with the latest start (ties: smallest involvement id), else the
-- team on their latest open referral (ties: greatest referral id).
with month_ends as (
    select period_end from {{ ref('int_month_ends') }}
),

allocations as (
    select
        month_ends.period_end,
        allocations.person_id,
        allocations.team_id,
        row_number() over (
            partition by month_ends.period_end, allocations.person_id
            order by allocations.start_date desc, {{ id_order('allocations.involvement_id') }}
        ) as preference
    from month_ends
    inner join {{ ref('int_allocations') }} as allocations
        on {{ is_open_at('allocations.start_date', 'allocations.end_date', 'month_ends.period_end') }}
),

referrals as (
    select
        month_ends.period_end,
        referrals.person_id,
        referrals.team_id,
        row_number() over (
            partition by month_ends.period_end, referrals.person_id
            order by referrals.referral_date desc, {{ id_order('referrals.referral_id', 'desc') }}
        ) as preference
    from month_ends
    inner join {{ ref('int_referrals') }} as referrals
        on {{ is_open_at('referrals.referral_date', 'referrals.close_date', 'month_ends.period_end') }}
)

select
    coalesce(allocated.period_end, referred.period_end) as period_end,
    coalesce(allocated.person_id, referred.person_id) as person_id,
    coalesce(allocated.team_id, referred.team_id) as team_id,
    allocated.person_id is not null as is_allocated
from (select * from allocations where preference = 1) as allocated
full outer join (select * from referrals where preference = 1) as referred
    on referred.period_end = allocated.period_end
   and referred.person_id = allocated.person_id
