-- Children and young people with what the measures read about them: date of birth (null for a
-- child not yet born) and the date from which they count as UASC.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    people.person_id,
    people.date_of_birth,
    uasc.uasc_from
from {{ ref('stg_ssd__ssd_person') }} as people
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = people.person_id
