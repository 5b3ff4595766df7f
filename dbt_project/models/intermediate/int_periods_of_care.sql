-- Periods of care (cla_id). A period starts at the entered-care date of its earliest episode
-- (fallback: that episode's start); it ceases when its last episode (latest start, ties:
-- greatest episode id) has a ceased date with a reason other than X1 (null counts as ceased).
-- A period whose child is on short breaks at its start is a short-break period.
with ranked as (
    select
        episodes.*,
        row_number() over (
            partition by cla_id
            order by start_date, {{ id_order('episode_id') }}
        ) as position_from_first,
        row_number() over (
            partition by cla_id
            order by start_date desc, {{ id_order('episode_id', 'desc') }}
        ) as position_from_last
    from {{ ref('int_cla_episodes') }} as episodes
),

periods as (
    select
        first_episode.cla_id,
        first_episode.person_id,
        coalesce(first_episode.entered_care_date, first_episode.start_date) as start_date,
        case when last_episode.ceased_date is not null and coalesce(last_episode.ceased_reason, '') <> 'X1'
             then last_episode.ceased_date end as ceased_date,
        case when last_episode.ceased_date is not null and coalesce(last_episode.ceased_reason, '') <> 'X1'
             then last_episode.ceased_reason end as ceased_reason
    from ranked as first_episode
    inner join ranked as last_episode
        on last_episode.cla_id = first_episode.cla_id
       and last_episode.position_from_last = 1
    where first_episode.position_from_first = 1
),

short_break_starts as (
    select distinct periods.cla_id
    from periods
    inner join {{ ref('int_short_break_spells') }} as short_breaks
        on short_breaks.person_id = periods.person_id
       and {{ is_open_at('short_breaks.start_date', 'short_breaks.end_date', 'periods.start_date') }}
)

select
    periods.cla_id,
    periods.person_id,
    periods.start_date,
    periods.ceased_date,
    periods.ceased_reason,
    short_break_starts.cla_id is not null as is_short_break,
    -- cla_iha_in_time: wd(start, d) >= 20 exactly when d >= twentieth_working_day; <= 20 when d < the 21st
    twentieth_day.date_day as twentieth_working_day,
    twenty_first_day.date_day as twenty_first_working_day,
    uasc.uasc_from
from periods
left join short_break_starts on short_break_starts.cla_id = periods.cla_id
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = periods.person_id
{{ calendar_day_join('start_day', 'periods.start_date') }}
{{ nth_working_day_join('twentieth_day', 'start_day', 20) }}
{{ nth_working_day_join('twenty_first_day', 'start_day', 21) }}
