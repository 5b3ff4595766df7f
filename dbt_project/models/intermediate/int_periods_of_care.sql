-- Periods of care (clae_cla_id). A period starts at the entered-care date of its earliest
-- episode (fallback: that episode's start); it ceases when its last episode (latest start,
-- ties: greatest episode id) has a ceased date with a reason other than X1 (null counts as
-- ceased). A period whose legal status open at its start is V3/V4 is a short-break period.
with episodes as (
    select * from {{ ref('stg_ssd__ssd_cla_episodes') }}
),

ranked as (
    select
        episodes.*,
        row_number() over (
            partition by clae_cla_id
            order by clae_cla_episode_start_date, {{ id_order('clae_cla_episode_id') }}
        ) as position_from_first,
        row_number() over (
            partition by clae_cla_id
            order by clae_cla_episode_start_date desc,
                     {{ id_order('clae_cla_episode_id', 'desc') }}
        ) as position_from_last
    from episodes
),

periods as (
    select
        first_episode.clae_cla_id as cla_id,
        first_episode.clae_person_id as person_id,
        coalesce(first_episode.clae_entered_care_date, first_episode.clae_cla_episode_start_date) as start_date,
        case when last_episode.clae_cla_episode_ceased_date is not null
              and coalesce(last_episode.clae_cla_episode_ceased_reason, '') <> 'X1'
             then last_episode.clae_cla_episode_ceased_date end as ceased_date,
        case when last_episode.clae_cla_episode_ceased_date is not null
              and coalesce(last_episode.clae_cla_episode_ceased_reason, '') <> 'X1'
             then last_episode.clae_cla_episode_ceased_reason end as ceased_reason
    from ranked as first_episode
    join ranked as last_episode
        on last_episode.clae_cla_id = first_episode.clae_cla_id
       and last_episode.position_from_last = 1
    where first_episode.position_from_first = 1
),

short_break_starts as (
    select distinct periods.cla_id
    from periods
    join {{ ref('stg_ssd__ssd_legal_status') }} as legal
        on legal.lega_person_id = periods.person_id
       and legal.lega_legal_status in ('V3', 'V4')
       and {{ is_open_at('legal.lega_legal_status_start_date', 'legal.lega_legal_status_end_date', 'periods.start_date') }}
)

select
    periods.cla_id,
    periods.person_id,
    periods.start_date,
    periods.ceased_date,
    periods.ceased_reason,
    short_break_starts.cla_id is not null as is_short_break,
    -- wd(start, d) >= 20 exactly when d >= twentieth_working_day; <= 20 when d < the 21st
    {{ add_working_days('periods.start_date', 20) }} as twentieth_working_day,
    {{ add_working_days('periods.start_date', 21) }} as twenty_first_working_day
from periods
left join short_break_starts on short_break_starts.cla_id = periods.cla_id
