-- Child and family assessments with their working-day timescales.
with assessments as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_cin_assessments') }}
)

select
    assessments.assessment_id,
    assessments.person_id,
    assessments.referral_id,
    assessments.start_date,
    assessments.authorised_date as auth_date,
    assessments.team_id,
    coalesce(assessments.is_child_seen, false) as is_child_seen,
    coalesce(assessments.is_outcome_nfa, false) as is_outcome_nfa,
    -- unborn at the start: no date of birth yet, or born after the assessment started
    (people.date_of_birth is null or people.date_of_birth > assessments.start_date) as is_unborn_at_start,
    case when assessments.authorised_date is not null
         then {{ working_days_between('start_day', 'authorised_day') }}
    end as working_days_to_auth,
    -- from this date an assessment still in progress is out of timescale (wd(start, E) > 45)
    out_of_timescale_day.date_day as out_of_timescale_from,
    people.uasc_from
from assessments
left join {{ ref('int_people') }} as people on people.person_id = assessments.person_id
{{ calendar_day_join('start_day', 'assessments.start_date') }}
{{ calendar_day_join('authorised_day', 'assessments.authorised_date') }}
{{ nth_working_day_join('out_of_timescale_day', 'start_day', 46) }}
