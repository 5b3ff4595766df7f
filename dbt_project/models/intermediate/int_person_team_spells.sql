-- The team a person's measures count at, as spells: each run of consecutive month ends at the
-- same team is one row, with its first and last month end. At a month end E the team is that
-- of the person's allocation open at E with the latest start (ties: smallest involvement id),
-- else the team on their latest open referral (ties: greatest referral id). Month ends with no
-- team known (no allocation or referral open, or the preferred one without a team) have no
-- spell: a record then has no team either way.
--
-- A measure record finds its child's team at E as the spell of that child holding E: a join on
-- the child against 9 M spells instead of on (month end, child) against 67 M month-end rows
-- (front door alone 89.4 -> 49.1 s; README "Scale").
--
-- The spells are built from the records' open months without a row per month end: the order
-- of preference does not depend on E, so each person's allocations and referrals are ranked
-- once (those open at some month end); the month ends at which any of them opens or stops
-- being open cut the person's months into segments in which the same records are open, and
-- each segment takes the team of its lowest-ranked open record. Adjacent segments at one team
-- are one spell.
with reporting_months as (
    select
        min(period_end) as first_period_end,
        max(period_end) as last_period_end
    from {{ ref('int_month_ends') }}
),

candidates as (
    select person_id, team_id, start_date as open_from, end_date as open_until, true as is_allocation,
           involvement_id as candidate_id
    from {{ ref('int_allocations') }}
    union all
    select person_id, team_id, referral_date, close_date, false, referral_id
    from {{ ref('int_referrals') }}
),

-- the reporting month ends at which each is open, as a range; those open at none are left out
-- before the ranking, which only orders the records each month end chooses between
open_ranges as (
    select
        candidates.person_id,
        candidates.team_id,
        candidates.open_from,
        candidates.is_allocation,
        candidates.candidate_id,
        greatest({{ first_month_end_open('candidates.open_from') }}, reporting_months.first_period_end)
            as first_period_end,
        least({{ last_month_end_open('candidates.open_until') }}, reporting_months.last_period_end)
            as last_period_end
    from candidates
    cross join reporting_months
    -- with no reporting month, no spell (greatest and least may skip the nulls)
    where candidates.open_from is not null and reporting_months.first_period_end is not null
),

open_months as (
    select
        person_id,
        team_id,
        first_period_end,
        last_period_end,
        row_number() over (
            partition by person_id
            order by
                {{ flag('is_allocation') }} desc,
                open_from desc,
                {{ id_order('case when is_allocation then candidate_id end') }},
                {{ id_order('case when not is_allocation then candidate_id end', 'desc') }}
        ) as preference
    from open_ranges
    where first_period_end <= last_period_end
),

segment_starts as (
    select person_id, first_period_end as segment_start from open_months
    union
    select person_id, {{ month_end(add_months('last_period_end', 1)) }} from open_months
),

segments as (
    select
        person_id,
        segment_start,
        lead(segment_start) over (partition by person_id order by segment_start) as next_segment_start
    from segment_starts
),

-- every segment in which a record is open, with the team of its preferred one (a segment
-- ending a person's last open record is open nowhere and has no row)
segment_teams as (
    select
        segments.person_id,
        segments.segment_start,
        segments.next_segment_start,
        {{ value_at_lowest('open_months.team_id', 'open_months.preference') }} as team_id
    from segments
    inner join open_months
        on segments.person_id = open_months.person_id
        and segments.segment_start >= open_months.first_period_end
        and segments.segment_start <= open_months.last_period_end
    group by segments.person_id, segments.segment_start, segments.next_segment_start
),

-- a spell starts where the team changes, or after a segment with no team known
spell_starts as (
    select
        person_id,
        team_id,
        segment_start,
        next_segment_start,
        case
            when lag(next_segment_start) over (partition by person_id order by segment_start) = segment_start
                and lag(team_id) over (partition by person_id order by segment_start) = team_id
                then 0
            else 1
        end as is_spell_start
    from segment_teams
    where team_id is not null
),

numbered_spells as (
    select
        person_id,
        team_id,
        segment_start,
        next_segment_start,
        sum(is_spell_start) over (
            partition by person_id order by segment_start rows between unbounded preceding and current row
        ) as spell_number
    from spell_starts
)

select
    person_id,
    team_id,
    min(segment_start) as first_period_end,
    {{ month_end(add_months('max(next_segment_start)', -1)) }} as last_period_end
from numbered_spells
group by person_id, team_id, spell_number
