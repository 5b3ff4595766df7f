-- The date from which a person counts as UASC: their earliest UASC immigration status start
-- ("ever UASC up to d", which keeps former UASC care leavers in).
select
    immi_person_id as person_id,
    min(immi_immigration_status_start_date) as uasc_from
from {{ ref('stg_ssd__ssd_immigration_status') }}
where immi_immigration_status = 'UASC'
  and immi_immigration_status_start_date is not null
group by immi_person_id
