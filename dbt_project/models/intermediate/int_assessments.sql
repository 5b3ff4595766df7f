-- Child and family assessments with their working-day timescales.
with assessments as (
    select * from {{ ref('stg_ssd__ssd_cin_assessments') }}
),

people as (
    select pers_person_id, pers_dob from {{ ref('stg_ssd__ssd_person') }}
)

select
    assessments.cina_assessment_id as assessment_id,
    assessments.cina_person_id as person_id,
    assessments.cina_referral_id as referral_id,
    assessments.cina_assessment_start_date as start_date,
    assessments.cina_assessment_auth_date as auth_date,
    assessments.cina_assessment_team as team_id,
    coalesce(assessments.cina_assessment_child_seen = 'Y', false) as is_child_seen,
    coalesce(assessments.cina_assessment_outcome_nfa = 'Y', false) as is_outcome_nfa,
    -- unborn at the start: no date of birth yet, or born after the assessment started
    (people.pers_dob is null or people.pers_dob > assessments.cina_assessment_start_date) as is_unborn_at_start,
    case when assessments.cina_assessment_auth_date is not null
         then {{ working_days_between('assessments.cina_assessment_start_date', 'assessments.cina_assessment_auth_date') }}
    end as working_days_to_auth,
    -- from this date an assessment still in progress is out of timescale (wd(start, E) > 45)
    {{ add_working_days('assessments.cina_assessment_start_date', 46) }} as out_of_timescale_from
from assessments
left join people on people.pers_person_id = assessments.cina_person_id
