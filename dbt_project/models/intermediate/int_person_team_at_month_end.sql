-- The team a person's snapshot measures are attributed to at each month end: the team of
-- their allocation open at E with the latest start (ties: smallest involvement id), else the
-- team on their latest open referral (ties: greatest referral id). One row per person with an
-- allocation or a referral open at E, saying which they have.
--
-- The order of preference does not depend on E, so each person's allocations and referrals are
-- ranked once, and each month end keeps its lowest-ranked open one: one ranking of the records
-- rather than one per month end (figures in README "Scale").
with month_ends as (
    select period_end from {{ ref('int_month_ends') }}
),

candidates as (
    select person_id, team_id, start_date as open_from, end_date as open_until, true as is_allocation,
           involvement_id as candidate_id
    from {{ ref('int_allocations') }}
    union all
    select person_id, team_id, referral_date, close_date, false, referral_id
    from {{ ref('int_referrals') }}
),

ranked_candidates as (
    select
        person_id,
        team_id,
        open_from,
        open_until,
        is_allocation,
        row_number() over (
            partition by person_id
            order by
                {{ flag('is_allocation') }} desc,
                open_from desc,
                {{ id_order('case when is_allocation then candidate_id end') }},
                {{ id_order('case when not is_allocation then candidate_id end', 'desc') }}
        ) as preference
    from candidates
),

open_candidates as (
    select
        month_ends.period_end,
        ranked_candidates.person_id,
        ranked_candidates.team_id,
        ranked_candidates.is_allocation,
        ranked_candidates.preference
    from month_ends
    inner join ranked_candidates
        on {{ is_open_at('ranked_candidates.open_from', 'ranked_candidates.open_until', 'month_ends.period_end') }}
)

select
    period_end,
    person_id,
    {{ value_at_lowest('team_id', 'preference') }} as team_id,
    max({{ flag('is_allocation') }}) = 1 as is_allocated,
    max({{ flag('not is_allocation') }}) = 1 as has_open_referral
from open_candidates
group by period_end, person_id
