-- Initial child protection conferences with the working days from the S47 enquiry's start.
with conferences as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_initial_cp_conference') }}
),

enquiries as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_s47_enquiry') }}
)

select
    conferences.icpc_id,
    conferences.person_id,
    conferences.icpc_date,
    conferences.team_id,
    coalesce(conferences.is_transfer_in, false) as is_transfer_in,
    coalesce(conferences.is_outcome_cp_plan, false) as is_outcome_cp_plan,
    enquiries.s47_enquiry_id is not null as has_s47_enquiry,
    enquiries.start_date as s47_start_date,
    case when enquiries.s47_enquiry_id is not null
         then {{ working_days_between('s47_start_day', 'icpc_day') }}
    end as working_days_from_s47_start,
    uasc.uasc_from
from conferences
left join enquiries on enquiries.s47_enquiry_id = conferences.s47_enquiry_id
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = conferences.person_id
{{ calendar_day_join('s47_start_day', 'enquiries.start_date') }}
{{ calendar_day_join('icpc_day', 'conferences.icpc_date') }}
