-- Allocations of a child to a worker in a team, open between their start and end dates: the
-- involvements whose type is an allocation code (configuration, default CW - a case worker).
-- Personal advisers, key workers and other involvements are not allocations (measures.md,
-- "Allocation"), so no measure counts them.
{{ config(materialized='view') }}  -- a filter: read where it is used
select
    involvements.involvement_id,
    involvements.person_id,
    involvements.worker_id,
    involvements.team_id,
    involvements.start_date,
    involvements.end_date
from {{ ref('stg_ssd__ssd_involvements') }} as involvements
inner join {{ ref('stg_pipeline__allocation_involvement_types') }} as allocation_types
    on allocation_types.involvement_type = upper(trim(involvements.involvement_type))
