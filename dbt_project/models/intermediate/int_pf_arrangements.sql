-- Private fostering arrangements.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    arrangement_id,
    person_id,
    start_date,
    end_date,
    team_id
from {{ ref('stg_ssd__ext_pf_arrangements') }}
