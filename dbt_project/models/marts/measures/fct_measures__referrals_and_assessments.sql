-- Referral and assessment measures: rereferral_12m (measures.md 1), assessments_within_45wd (2),
-- assessments_open_out_of_timescale (3), assessments_child_seen (4); the activity counts
-- referrals, assessments_completed and open_cases (58); referrals_per_10k (59).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

referrals as {{ inlined() }} (
    select * from {{ ref('int_referrals') }}
),

assessments as {{ inlined() }} (
    select * from {{ ref('int_assessments') }}
),

-- measures of a window of months (year to date, last 12 months): each record once, over the
-- month ends whose window holds it (first/last_month_end_in_period), not once per month end
event_ranges as (
    -- rereferral_12m: referrals in the year to date with an earlier referral within 12 months
    select 'rereferral_12m' as measure_id,
           {{ first_month_end_in_period('referrals.referral_date') }} as first_period_end,
           {{ last_month_end_in_period('referrals.referral_date', 'YTD') }} as last_period_end,
           referrals.team_id,
           {{ is_uasc_at('referrals.uasc_from', 'referrals.referral_date') }} as is_uasc,
           referrals.person_id, referrals.referral_id as record_id,
           {{ flag('referrals.has_previous_referral_12m') }} as numerator, 1 as denominator
    from referrals

    union all
    -- referrals_per_10k: referrals in the last 12 months (the population is added in fct_measure_results)
    select 'referrals_per_10k',
           {{ first_month_end_in_period('referrals.referral_date') }},
           {{ last_month_end_in_period('referrals.referral_date', 'R12') }},
           referrals.team_id,
           {{ is_uasc_at('referrals.uasc_from', 'referrals.referral_date') }},
           referrals.person_id, referrals.referral_id, 1, null
    from referrals

    union all
    -- assessments_within_45wd: assessments authorised in the year to date within 45 working days
    select 'assessments_within_45wd',
           {{ first_month_end_in_period('assessments.auth_date') }},
           {{ last_month_end_in_period('assessments.auth_date', 'YTD') }},
           assessments.team_id,
           {{ is_uasc_at('assessments.uasc_from', 'assessments.auth_date') }},
           assessments.person_id, assessments.assessment_id,
           {{ flag('assessments.working_days_to_auth <= 45') }}, 1
    from assessments
    where assessments.auth_date is not null

    union all
    -- assessments_child_seen: assessments authorised in the year to date, child born by the start
    select 'assessments_child_seen',
           {{ first_month_end_in_period('assessments.auth_date') }},
           {{ last_month_end_in_period('assessments.auth_date', 'YTD') }},
           assessments.team_id,
           {{ is_uasc_at('assessments.uasc_from', 'assessments.auth_date') }},
           assessments.person_id, assessments.assessment_id,
           {{ flag('assessments.is_child_seen') }}, 1
    from assessments
    where assessments.auth_date is not null and not assessments.is_unborn_at_start
),

event_facts as (
    -- referrals: referrals in the month
    select 'referrals' as measure_id, m.period_end, referrals.team_id,
           {{ is_uasc_at('referrals.uasc_from', 'referrals.referral_date') }} as is_uasc,
           referrals.person_id, referrals.referral_id as record_id, 1 as numerator, null as denominator
    from month_ends as m
    inner join referrals on {{ in_period('referrals.referral_date', 'M') }}

    union all
    -- assessments_open_out_of_timescale: in progress at E (started, not authorised) beyond 45 working days
    select 'assessments_open_out_of_timescale', m.period_end, assessments.team_id,
           {{ is_uasc_at('assessments.uasc_from', 'm.period_end') }},
           assessments.person_id, assessments.assessment_id, 1, null
    from month_ends as m
    inner join assessments
        on {{ is_open_at('assessments.start_date', 'assessments.auth_date', 'm.period_end') }}
       and assessments.out_of_timescale_from <= m.period_end
    -- implied by the join; said first, it leaves the assessments still open past their 45th
    -- working day (1.7 of 12.7 M nationally) to pair with the month ends: 6.1 -> 1.3 s
    where assessments.out_of_timescale_from < coalesce(assessments.auth_date, {{ open_end_date() }})

    union all
    -- assessments_completed: assessments authorised in the month
    select 'assessments_completed', m.period_end, assessments.team_id,
           {{ is_uasc_at('assessments.uasc_from', 'assessments.auth_date') }},
           assessments.person_id, assessments.assessment_id, 1, null
    from month_ends as m
    inner join assessments on {{ in_period('assessments.auth_date', 'M') }}
),

-- open_cases: children with a referral open at E (once, however many are open). A child's open
-- months are the union of their referrals' (first/last_month_end_open): runs of overlapping or
-- consecutive referrals are merged into one range of month ends, counted at the child's team and
-- UASC flag of each month end, rather than a row per referral and month end made distinct
-- (67 M rows nationally)
referral_open_months as (
    select
        person_id,
        {{ first_month_end_open('referral_date') }} as first_period_end,
        {{ last_month_end_open('close_date') }} as last_period_end
    from referrals
    where referral_date is not null
),

referral_open_runs as (
    select
        person_id,
        first_period_end,
        last_period_end,
        -- a new run unless an earlier referral of the child is open to the month end before this one's first
        case when {{ month_end(add_months('first_period_end', -1)) }}
                  <= {{ reached_by_earlier_records('first_period_end', 'last_period_end') }}
            then 0 else 1 end as starts_run
    from referral_open_months
    where first_period_end <= last_period_end
),

numbered_runs as (
    select
        person_id,
        first_period_end,
        last_period_end,
        sum(starts_run) over (
            partition by person_id order by first_period_end, last_period_end
            rows between unbounded preceding and current row
        ) as run_number
    from referral_open_runs
),

open_case_ranges as (
    select
        'open_cases' as measure_id,
        min(first_period_end) as first_period_end,
        max(last_period_end) as last_period_end,
        person_id,
        person_id as record_id,
        1 as numerator,
        null as denominator
    from numbered_runs
    group by person_id, run_number
)

{{ at_event_team('event_facts') }}
union all
{{ at_event_team_over_months('event_ranges') }}
union all
{{ at_allocated_team_over_months('open_case_ranges') }}
union all
{{ measure_placeholders('referrals_and_assessments') }}
