-- Each child's placement open at each month end (latest start, ties: greatest id), with the
-- start of the placement immediately before it in the same period of care.
with placements as (
    select
        placements.*,
        lag(start_date) over (
            partition by cla_id order by start_date, {{ id_order('placement_id') }}
        ) as previous_placement_start_date
    from {{ ref('int_placements') }} as placements
),

open_at_month_end as (
    select
        m.period_end,
        placements.*,
        row_number() over (
            partition by m.period_end, placements.person_id
            order by placements.start_date desc, {{ id_order('placements.placement_id', 'desc') }}
        ) as preference
    from {{ records_by_open_month('placements', 'start_date', 'end_date', ref('int_month_ends')) }} as placements
    inner join {{ ref('int_month_ends') }} as m
        on {{ month_number('m.period_end') }} = placements.open_month_number
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
from open_at_month_end
where preference = 1
