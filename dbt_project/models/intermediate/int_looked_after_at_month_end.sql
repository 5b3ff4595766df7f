-- Children looked after at each month end for the CLA measures: an episode open at E and no
-- short-break legal status (V3/V4) open at E. cla_id is the period of care of the open
-- episode with the latest start (the child's current period of care).
with month_ends as (
    select period_end from {{ ref('int_month_ends') }}
),

open_episodes as (
    select
        month_ends.period_end,
        episodes.clae_person_id as person_id,
        episodes.clae_cla_id as cla_id,
        row_number() over (
            partition by month_ends.period_end, episodes.clae_person_id
            order by episodes.clae_cla_episode_start_date desc,
                     {{ id_order('episodes.clae_cla_episode_id', 'desc') }}
        ) as preference
    from month_ends
    join {{ ref('stg_ssd__ssd_cla_episodes') }} as episodes
        on {{ is_open_at('episodes.clae_cla_episode_start_date', 'episodes.clae_cla_episode_ceased_date', 'month_ends.period_end') }}
),

on_short_breaks as (
    select distinct month_ends.period_end, legal.lega_person_id as person_id
    from month_ends
    join {{ ref('stg_ssd__ssd_legal_status') }} as legal
        on legal.lega_legal_status in ('V3', 'V4')
       and {{ is_open_at('legal.lega_legal_status_start_date', 'legal.lega_legal_status_end_date', 'month_ends.period_end') }}
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
