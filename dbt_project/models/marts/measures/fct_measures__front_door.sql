-- Front door measures (measures.md 55-57): contacts, at the child's allocated team at E.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

contacts as (
    select
        cont_contact_id as contact_id,
        cont_person_id as person_id,
        cont_contact_date as contact_date,
        cont_decision_date as decision_date
    from {{ ref('stg_ssd__ssd_contacts') }}
),

-- contacts followed by a referral of the same child within 7 days (even after E)
led_to_referral as (
    select distinct contacts.contact_id
    from contacts
    join {{ ref('stg_ssd__ssd_cin_episodes') }} as referrals
        on referrals.cine_person_id = contacts.person_id
       and referrals.cine_referral_date >= contacts.contact_date
       and referrals.cine_referral_date <= {{ add_days('contacts.contact_date', 7) }}
),

person_facts as (
    select 'contacts' as measure_id, m.period_end, contacts.person_id, 1 as numerator, cast(null as integer) as denominator
    from month_ends as m
    join contacts on {{ in_period('contacts.contact_date', 'M') }}
    union all
    select 'contacts_to_referral', m.period_end, contacts.person_id, {{ flag('led_to_referral.contact_id is not null') }}, 1
    from month_ends as m
    join contacts on {{ in_period('contacts.contact_date', 'M') }}
    left join led_to_referral on led_to_referral.contact_id = contacts.contact_id
    union all
    select 'contact_decision_24h', m.period_end, contacts.person_id,
           {{ flag('contacts.decision_date >= contacts.contact_date and contacts.decision_date <= ' ~ add_days('contacts.contact_date', 1)) }}, 1
    from month_ends as m
    join contacts on {{ in_period('contacts.contact_date', 'YTD') }} and contacts.decision_date is not null
),

facts as (
    {{ at_allocated_team('person_facts', uasc_at_period_end=true) }}

    union all
    {{ measure_placeholders(['contacts', 'contacts_to_referral', 'contact_decision_24h']) }}
)

{{ aggregate_measure_facts('facts') }}
