-- Quality assurance measures, at the team audited: audits_completed (measures.md 45),
-- audits_good_or_better (46), audits_inadequate (47), cp_reports_good_or_better (48),
-- cic_care_plans_good_or_better (49).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

audits as (
    select
        audits.*,
        audits.grade in ('OUTSTANDING', 'GOOD') as is_good_or_better,
        audits.grade = 'INADEQUATE' as is_inadequate
    from {{ ref('int_case_audits') }} as audits
),

completed_in_year as (
    select m.period_end, audits.*
    from month_ends as m
    inner join audits on {{ in_period('audits.completed_date', 'YTD') }}
),

event_facts as (
    -- audits_completed: case file audits due in the year to date, completed by E
    select 'audits_completed' as measure_id, m.period_end, audits.team_id, false as is_uasc, audits.person_id,
           audits.audit_id as record_id, {{ flag('audits.completed_date <= m.period_end') }} as numerator, 1 as denominator
    from month_ends as m
    inner join audits on audits.audit_type = 'CASE_FILE' and {{ in_period('audits.due_date', 'YTD') }}

    union all
    -- grades of the audits completed in the year to date
    select 'audits_good_or_better', period_end, team_id, false, person_id, audit_id, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CASE_FILE'
    union all
    select 'audits_inadequate', period_end, team_id, false, person_id, audit_id, {{ flag('is_inadequate') }}, 1
    from completed_in_year where audit_type = 'CASE_FILE'
    union all
    select 'cp_reports_good_or_better', period_end, team_id, false, person_id, audit_id, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CP_SW_REPORT'
    union all
    select 'cic_care_plans_good_or_better', period_end, team_id, false, person_id, audit_id, {{ flag('is_good_or_better') }}, 1
    from completed_in_year where audit_type = 'CIC_CARE_PLAN'
)

{{ at_event_team('event_facts') }}
union all
{{ measure_placeholders('quality_assurance') }}
