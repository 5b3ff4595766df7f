-- Quality assurance measures (measures.md 45-49): case audits at the team audited.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

audits as (
    select
        audi_audit_type as audit_type,
        audi_team as team_id,
        audi_due_date as due_date,
        audi_completed_date as completed_date,
        audi_grade in ('OUTSTANDING', 'GOOD') as is_good_or_better,
        audi_grade = 'INADEQUATE' as is_inadequate
    from {{ ref('stg_ssd__ext_case_audits') }}
),

completed_in_year as (
    select m.period_end, audits.*
    from month_ends as m
    join audits on {{ in_period('audits.completed_date', 'YTD') }}
),

facts as (
    -- 45. case file audits due in the year to date, completed by E
    select 'audits_completed' as measure_id, m.period_end, audits.team_id, false as is_uasc,
           {{ flag('audits.completed_date <= m.period_end') }} as numerator, 1 as denominator
    from month_ends as m
    join audits on audits.audit_type = 'CASE_FILE' and {{ in_period('audits.due_date', 'YTD') }}

    union all
    -- 46.-49. grades of audits completed in the year to date
    select 'audits_good_or_better', period_end, team_id, false, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CASE_FILE'
    union all
    select 'audits_inadequate', period_end, team_id, false, {{ flag('is_inadequate') }}, 1
    from completed_in_year where audit_type = 'CASE_FILE'
    union all
    select 'cp_reports_good_or_better', period_end, team_id, false, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CP_SW_REPORT'
    union all
    select 'cic_care_plans_good_or_better', period_end, team_id, false, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CIC_CARE_PLAN'

    union all
    {{ measure_placeholders(['audits_completed', 'audits_good_or_better', 'audits_inadequate',
                             'cp_reports_good_or_better', 'cic_care_plans_good_or_better']) }}
)

{{ aggregate_measure_facts('facts') }}
