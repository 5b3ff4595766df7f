-- Teams and the areas they belong to, with the team type the staffing measures read.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    team_id,
    team_name,
    parent_team_id,
    team_type
from {{ ref('stg_ssd__ssd_department') }}
