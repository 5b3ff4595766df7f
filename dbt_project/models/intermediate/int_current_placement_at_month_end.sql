-- Each child's placement open at each month end (latest start, ties: greatest id), with the
-- start of the placement immediately before it in the same period of care.
with placements as (
    select
        placements.*,
        lag(start_date) over (
            partition by cla_id order by start_date, {{ id_order('placement_id') }}
        ) as previous_placement_start_date
    from {{ ref('int_placements') }} as placements
)

select
    period_end,
    person_id,
    placement_id,
    cla_id,
    start_date,
    placement_type,
    provider,
    distance_miles,
    previous_placement_start_date
from {{ latest_open_at_month_end('placements', 'start_date', 'end_date', 'placement_id', ref('int_month_ends')) }} as current_placement
