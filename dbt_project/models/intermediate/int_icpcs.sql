-- Initial child protection conferences with the working days from the S47 enquiry's start.
with conferences as (
    select * from {{ ref('stg_ssd__ssd_initial_cp_conference') }}
),

enquiries as (
    select * from {{ ref('stg_ssd__ssd_s47_enquiry') }}
)

select
    conferences.icpc_icpc_id as icpc_id,
    conferences.icpc_person_id as person_id,
    conferences.icpc_icpc_date as icpc_date,
    conferences.icpc_icpc_team as team_id,
    coalesce(conferences.icpc_icpc_transfer_in = 'Y', false) as is_transfer_in,
    coalesce(conferences.icpc_icpc_outcome_cp_flag = 'Y', false) as is_outcome_cp_plan,
    enquiries.s47e_s47_enquiry_id is not null as has_s47_enquiry,
    enquiries.s47e_s47_start_date as s47_start_date,
    case when enquiries.s47e_s47_enquiry_id is not null
         then {{ working_days_between('enquiries.s47e_s47_start_date', 'conferences.icpc_icpc_date') }}
    end as working_days_from_s47_start
from conferences
left join enquiries on enquiries.s47e_s47_enquiry_id = conferences.icpc_s47_enquiry_id
