-- Private fostering visits with the date each was due and the arrangement's team.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    visits.visit_id,
    visits.arrangement_id,
    arrangements.person_id,
    arrangements.team_id,
    visits.visit_type,
    visits.due_date,
    visits.visit_date
from {{ ref('stg_ssd__ext_pf_visits') }} as visits
left join {{ ref('int_pf_arrangements') }} as arrangements on arrangements.arrangement_id = visits.arrangement_id
