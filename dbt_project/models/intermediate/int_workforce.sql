-- Workers in post at each month end, with the type of their team.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    workforce.month_end,
    workforce.worker_id,
    workforce.team_id,
    teams.team_type,
    workforce.fte,
    workforce.contract,
    coalesce(workforce.is_qualified_social_worker, false) as is_qualified_social_worker,
    coalesce(workforce.is_caseholding, false) as is_caseholding
from {{ ref('stg_ssd__ext_workforce') }} as workforce
left join {{ ref('int_teams') }} as teams on teams.team_id = workforce.team_id
