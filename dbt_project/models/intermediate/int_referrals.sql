-- Referrals (CIN episodes) with the re-referral flag: the same person has another referral
-- dated in [referral date - 12 months, referral date), strictly earlier (rereferral_12m).
with referrals as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_cin_episodes') }}
),

previous_within_12m as (
    select
        referral.referral_id,
        count(earlier.referral_id) > 0 as has_previous_referral_12m
    from referrals as referral
    left join referrals as earlier
        on earlier.person_id = referral.person_id
       and earlier.referral_date >= {{ add_months('referral.referral_date', -12) }}
       and earlier.referral_date < referral.referral_date
    group by referral.referral_id
)

select
    referrals.referral_id,
    referrals.person_id,
    referrals.referral_date,
    referrals.close_date,
    referrals.team_id,
    previous_within_12m.has_previous_referral_12m,
    uasc.uasc_from
from referrals
inner join previous_within_12m on previous_within_12m.referral_id = referrals.referral_id
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = referrals.person_id
