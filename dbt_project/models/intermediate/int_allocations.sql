-- Allocations of a child to a worker in a team, open between their start and end dates.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    involvement_id,
    person_id,
    worker_id,
    team_id,
    start_date,
    end_date
from {{ ref('stg_ssd__ssd_involvements') }}
