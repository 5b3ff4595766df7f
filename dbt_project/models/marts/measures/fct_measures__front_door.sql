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
),

-- contact_decision_24h: decided on the day of the contact or the next (even when that is after
-- E), at every month end of the financial year to date holding the contact: one row per
-- contact over those month ends (about 6.5 each), not one per month end
decisions_over_year_to_date as (
    select
        'contact_decision_24h' as measure_id,
        {{ first_month_end_in_period('contacts.contact_date') }} as first_period_end,
        {{ last_month_end_in_period('contacts.contact_date', 'YTD') }} as last_period_end,
        contacts.person_id,
        contacts.contact_id as record_id,
        {{ flag('contacts.decision_date >= contacts.contact_date and contacts.decision_date <= ' ~ add_days('contacts.contact_date', 1)) }} as numerator,
        1 as denominator
    from contacts
    where contacts.decision_date is not null
)

{{ at_allocated_team('person_facts', uasc_at_period_end=true) }}
union all
{{ at_allocated_team_over_months('decisions_over_year_to_date') }}
union all
{{ measure_placeholders('front_door') }}
