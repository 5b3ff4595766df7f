-- Section 47 enquiries, with whether the child was born by the enquiry's start.
select
    enquiries.s47_enquiry_id,
    enquiries.person_id,
    enquiries.start_date,
    enquiries.end_date,
    enquiries.team_id,
    coalesce(enquiries.is_child_seen, false) as is_child_seen,
    (people.date_of_birth is null or people.date_of_birth > enquiries.start_date) as is_unborn_at_start,
    people.uasc_from
from {{ ref('stg_ssd__ssd_s47_enquiry') }} as enquiries
left join {{ ref('int_people') }} as people on people.person_id = enquiries.person_id
