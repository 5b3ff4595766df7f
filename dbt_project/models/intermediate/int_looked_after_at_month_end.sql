-- Children looked after at each month end for the CLA measures: an episode open at E and not on
-- short breaks at E. cla_id is the period of care of the open episode with the latest start
-- (the child's current period of care). is_uasc is taken at E.
with month_ends as (
    select period_end from {{ ref('int_month_ends') }}
),

-- the episode open at E with the latest start (ties: greatest id)
open_episodes as (
    select period_end, person_id, cla_id
    from {{ latest_open_at_month_end(ref('int_cla_episodes'), 'start_date', 'ceased_date', 'episode_id', 'month_ends') }} as episodes
),

on_short_breaks as (
    select distinct month_ends.period_end, short_breaks.person_id
    from {{ records_by_open_month(ref('int_short_break_spells'), 'start_date', 'end_date', 'month_ends') }} as short_breaks
    inner join month_ends
        on {{ month_number('month_ends.period_end') }} = short_breaks.open_month_number
)

select
    open_episodes.period_end,
    open_episodes.person_id,
    open_episodes.cla_id,
    {{ is_uasc_at('uasc.uasc_from', 'open_episodes.period_end') }} as is_uasc
from open_episodes
left join on_short_breaks
    on on_short_breaks.period_end = open_episodes.period_end
   and on_short_breaks.person_id = open_episodes.person_id
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = open_episodes.person_id
where on_short_breaks.person_id is null
