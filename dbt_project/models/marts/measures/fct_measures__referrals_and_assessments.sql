-- Referral and assessment measures (measures.md 1-4), activity counts (58) and referral rate (59).
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

referrals as (
    select * from {{ ref('int_referrals') }}
),

assessments as (
    select * from {{ ref('int_assessments') }}
),

uasc as (
    select * from {{ ref('int_person_uasc') }}
),

facts as (
    -- 1. re-referrals within 12 months, referrals in the year to date
    select 'rereferral_12m' as measure_id, m.period_end, referrals.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'referrals.referral_date') }} as is_uasc,
           {{ flag('referrals.has_previous_referral_12m') }} as numerator, 1 as denominator
    from month_ends as m
    join referrals on {{ in_period('referrals.referral_date', 'YTD') }}
    left join uasc on uasc.person_id = referrals.person_id

    union all
    -- 58. referrals in the month
    select 'referrals', m.period_end, referrals.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'referrals.referral_date') }}, 1, null
    from month_ends as m
    join referrals on {{ in_period('referrals.referral_date', 'M') }}
    left join uasc on uasc.person_id = referrals.person_id

    union all
    -- 59. referrals in the last 12 months (rate per 10,000: population added in fct_measure_results)
    select 'referrals_per_10k', m.period_end, referrals.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'referrals.referral_date') }}, 1, null
    from month_ends as m
    join referrals on {{ in_period('referrals.referral_date', 'R12') }}
    left join uasc on uasc.person_id = referrals.person_id

    union all
    -- 2. assessments authorised in the year to date within 45 working days
    select 'assessments_within_45wd', m.period_end, assessments.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'assessments.auth_date') }},
           {{ flag('assessments.working_days_to_auth <= 45') }}, 1
    from month_ends as m
    join assessments on {{ in_period('assessments.auth_date', 'YTD') }}
    left join uasc on uasc.person_id = assessments.person_id

    union all
    -- 3. assessments in progress at E beyond 45 working days
    select 'assessments_open_out_of_timescale', m.period_end, assessments.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'm.period_end') }}, 1, null
    from month_ends as m
    join assessments
        on assessments.start_date <= m.period_end
       and (assessments.auth_date is null or assessments.auth_date > m.period_end)
       and assessments.out_of_timescale_from <= m.period_end
    left join uasc on uasc.person_id = assessments.person_id

    union all
    -- 4. children seen at assessment (not unborn at the start)
    select 'assessments_child_seen', m.period_end, assessments.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'assessments.auth_date') }},
           {{ flag('assessments.is_child_seen') }}, 1
    from month_ends as m
    join assessments
        on {{ in_period('assessments.auth_date', 'YTD') }}
       and not assessments.is_unborn_at_start
    left join uasc on uasc.person_id = assessments.person_id

    union all
    -- 58. assessments authorised in the month
    select 'assessments_completed', m.period_end, assessments.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'assessments.auth_date') }}, 1, null
    from month_ends as m
    join assessments on {{ in_period('assessments.auth_date', 'M') }}
    left join uasc on uasc.person_id = assessments.person_id

    union all
    -- 58. open cases: persons with a referral open at E, at their allocated team
    select 'open_cases', open_cases.period_end, person_team.team_id,
           {{ is_uasc_at('uasc.uasc_from', 'open_cases.period_end') }}, 1, null
    from (
        select distinct m.period_end, referrals.person_id
        from month_ends as m
        join referrals on {{ is_open_at('referrals.referral_date', 'referrals.close_date', 'm.period_end') }}
    ) as open_cases
    left join {{ ref('int_person_team_at_month_end') }} as person_team
        on person_team.period_end = open_cases.period_end and person_team.person_id = open_cases.person_id
    left join uasc on uasc.person_id = open_cases.person_id

    union all
    {{ measure_placeholders(['rereferral_12m', 'referrals', 'referrals_per_10k', 'assessments_within_45wd',
                             'assessments_open_out_of_timescale', 'assessments_child_seen',
                             'assessments_completed', 'open_cases']) }}
)

{{ aggregate_measure_facts('facts') }}
