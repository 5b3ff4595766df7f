-- Front door measures, about each child at their allocated team at E: contacts (measures.md 55),
-- contacts_to_referral (56), contact_decision_24h (57).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

contacts as {{ inlined() }} (
    select * from {{ ref('int_contacts') }}
),

-- each contact once, at the month end of its month, with the child's team there: the two monthly
-- measures' records share one join to the team (20 M contacts nationally, not 40 M records)
contacts_in_month as (
    select m.period_end, contacts.person_id, contacts.contact_id, contacts.led_to_referral_in_7_days
    from month_ends as m
    inner join contacts on {{ in_period('contacts.contact_date', 'M') }}
),

contacts_at_team as (
    select
        contacts_in_month.*,
        allocated_team.team_id,
        {{ is_uasc_at('uasc_for_team.uasc_from', 'contacts_in_month.period_end') }} as is_uasc
    from contacts_in_month
    {{ join_allocated_team('contacts_in_month', uasc_at_period_end=true) }}
),

person_facts as (
    select 'contacts' as measure_id, period_end, team_id, is_uasc, person_id, contact_id as record_id,
           1 as numerator, null as denominator
    from contacts_at_team

    union all
    -- contacts_to_referral: followed by a referral of the same child within 7 days
    select 'contacts_to_referral', period_end, team_id, is_uasc, person_id, contact_id,
           {{ flag('led_to_referral_in_7_days') }}, 1
    from contacts_at_team
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

{{ person_team_records('person_facts') }}
union all
{{ at_allocated_team_over_months('decisions_over_year_to_date') }}
union all
{{ measure_placeholders('front_door') }}
