-- The team a person's measures count at (int_person_team_at_month_end) as spells: each run of
-- consecutive month ends at the same team is one row, with its first and last month end.
--
-- A measure record finds its child's team at E as the spell of that child holding E: a join on
-- the child against 9 M spells instead of on (month end, child) against 67 M month-end rows,
-- which DuckDB had built into a hash table of the records' side, up to 236 M rows nationally
-- (front door alone 89.4 -> 49.1 s; README "Scale"). Month ends with no team known (no
-- allocation or referral open, or the preferred one without a team) have no spell: a record
-- then has no team either way.
with team_at_month_end as (
    select
        person_id,
        team_id,
        period_end,
        -- the month ends are consecutive months, so a run at one team keeps this number
        {{ dbt.datediff("cast('1900-01-31' as date)", 'period_end', 'month') }}
        - row_number() over (partition by person_id, team_id order by period_end) as spell_number
    from {{ ref('int_person_team_at_month_end') }}
    where team_id is not null
)

select
    person_id,
    team_id,
    min(period_end) as first_period_end,
    max(period_end) as last_period_end
from team_at_month_end
group by person_id, team_id, spell_number
