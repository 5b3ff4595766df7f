{{ config(materialized='view') }}  -- read by one family alone, where it is used: stored, it cost
-- writing every row (nationally the front door with its contacts 26.4 -> 19.1-19.4 s, the same sums)
-- Contacts received by the front door, with whether a referral of the same child followed
-- within 7 days (contacts_to_referral: even when that is after the month end).
with contacts as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_contacts') }}
),

led_to_referral as (
    select distinct contacts.contact_id
    from contacts
    inner join {{ ref('int_referrals') }} as referrals
        on referrals.person_id = contacts.person_id
       and referrals.referral_date >= contacts.contact_date
       and referrals.referral_date <= {{ add_days('contacts.contact_date', 7) }}
)

select
    contacts.contact_id,
    contacts.person_id,
    contacts.contact_date,
    contacts.decision_date,
    led_to_referral.contact_id is not null as led_to_referral_in_7_days
from contacts
left join led_to_referral on led_to_referral.contact_id = contacts.contact_id
