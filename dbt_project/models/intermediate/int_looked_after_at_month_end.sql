-- Children looked after at each month end for the CLA measures: an episode open at E and not on
-- short breaks at E. cla_id is the period of care of the open episode with the latest start
-- (the child's current period of care). is_uasc is taken at E.
with month_ends as (
    select period_end from {{ ref('int_month_ends') }}
),

open_episodes as (
    select
        month_ends.period_end,
        episodes.person_id,
        episodes.cla_id,
        row_number() over (
            partition by month_ends.period_end, episodes.person_id
            order by episodes.start_date desc, {{ id_order('episodes.episode_id', 'desc') }}
        ) as preference
    from {{ records_by_open_month(ref('int_cla_episodes'), 'start_date', 'ceased_date', 'month_ends') }} as episodes
    inner join month_ends
        on {{ month_number('month_ends.period_end') }} = episodes.open_month_number
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
where open_episodes.preference = 1
  and on_short_breaks.person_id is null
