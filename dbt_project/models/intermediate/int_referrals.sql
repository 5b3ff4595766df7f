-- Referrals (CIN episodes) with the re-referral flag: the same person has another referral
-- dated in [referral date - 12 months, referral date), strictly earlier.
with referrals as (
    select * from {{ ref('stg_ssd__ssd_cin_episodes') }}
),

previous_within_12m as (
    select
        referral.cine_referral_id as referral_id,
        count(earlier.cine_referral_id) > 0 as has_previous_referral_12m
    from referrals as referral
    left join referrals as earlier
        on earlier.cine_person_id = referral.cine_person_id
       and earlier.cine_referral_date >= {{ add_months('referral.cine_referral_date', -12) }}
       and earlier.cine_referral_date < referral.cine_referral_date
    group by referral.cine_referral_id
)

select
    referrals.cine_referral_id as referral_id,
    referrals.cine_person_id as person_id,
    referrals.cine_referral_date as referral_date,
    referrals.cine_close_date as close_date,
    referrals.cine_referral_team as team_id,
    coalesce(referrals.cine_referral_nfa = 'Y', false) as is_nfa,
    previous_within_12m.has_previous_referral_12m
from referrals
join previous_within_12m on previous_within_12m.referral_id = referrals.cine_referral_id
