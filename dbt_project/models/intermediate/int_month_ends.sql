-- The reporting months: every month end E from the first complete month of the extract to
-- the manifest's period_end, with the window boundaries every measure uses.
-- First complete month: the first month starting on or after the manifest's period_start
-- when given, else on or after the earliest referral.
with manifest as {{ inlined() }} (
    select * from {{ ref('stg_pipeline__extract_manifest') }}
),

earliest_referral as (
    select min(referral_date) as referral_date from {{ ref('stg_ssd__ssd_cin_episodes') }}
),

bounds as (
    select
        coalesce(manifest.period_start, earliest_referral.referral_date) as first_day,
        manifest.period_end
    from manifest
    cross join earliest_referral
),

months as (
    {{ dbt.date_spine('month', "cast('1990-01-01' as date)", "cast('2046-01-01' as date)") }}
),

month_ends as (
    select
        cast(months.date_month as date) as month_start,
        {{ month_end('months.date_month') }} as period_end
    from months
    cross join bounds
    -- a month is complete when it starts on or after the first day the extract covers
    where cast(months.date_month as date) >= bounds.first_day
      and {{ month_end('months.date_month') }} <= bounds.period_end
)

select
    period_end,
    month_start,
    -- F: 1 April of the financial year containing E
    {{ add_months(dbt.date_trunc('year', add_months('period_end', -3)), 3) }} as financial_year_start,
    {{ add_months('period_end', -6) }} as minus_6_months,
    {{ add_months('period_end', -12) }} as minus_12_months,
    {{ add_months('period_end', -18) }} as minus_18_months,
    {{ add_months('period_end', -24) }} as minus_24_months,
    {{ add_months('period_end', -30) }} as minus_30_months,
    {{ add_days('month_start', -1) }} as previous_period_end,
    {{ add_days('period_end', -27) }} as minus_27_days,
    period_end_day.working_day_number
from month_ends
{{ calendar_day_join('period_end_day', 'month_ends.period_end') }}
