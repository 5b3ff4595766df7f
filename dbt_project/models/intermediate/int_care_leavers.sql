-- Care leavers: one row per young person per birthday (17th to 21st), the status date being the
-- birthday the row describes, at the allocated team recorded on it.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    leavers.care_leaver_status_id,
    leavers.person_id,
    leavers.status_date,
    leavers.team_id,
    leavers.eligibility,
    leavers.in_touch,
    coalesce(leavers.is_accommodation_suitable, false) as is_accommodation_suitable,
    leavers.activity,
    uasc.uasc_from
from {{ ref('stg_ssd__ssd_care_leavers') }} as leavers
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = leavers.person_id
