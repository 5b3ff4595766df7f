-- Front door measures, about each child at their allocated team at E: contacts (measures.md 55),
-- contacts_to_referral (56), contact_decision_24h (57).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

contacts as {{ inlined() }} (
    select * from {{ ref('int_contacts') }}
),

person_facts as (
    select 'contacts' as measure_id, m.period_end, contacts.person_id, contacts.contact_id as record_id,
           1 as numerator, null as denominator
    from month_ends as m
    inner join contacts on {{ in_period('contacts.contact_date', 'M') }}

    union all
    -- contacts_to_referral: followed by a referral of the same child within 7 days
    select 'contacts_to_referral', m.period_end, contacts.person_id, contacts.contact_id,
           {{ flag('contacts.led_to_referral_in_7_days') }}, 1
    from month_ends as m
    inner join contacts on {{ in_period('contacts.contact_date', 'M') }}

    union all
    -- contact_decision_24h: decided on the day of the contact or the next (even when that is after E)
    select 'contact_decision_24h', m.period_end, contacts.person_id, contacts.contact_id,
           {{ flag('contacts.decision_date >= contacts.contact_date and contacts.decision_date <= ' ~ add_days('contacts.contact_date', 1)) }}, 1
    from month_ends as m
    inner join contacts on {{ in_period('contacts.contact_date', 'YTD') }} and contacts.decision_date is not null
)

{{ at_allocated_team('person_facts', uasc_at_period_end=true) }}
union all
{{ measure_placeholders('front_door') }}
