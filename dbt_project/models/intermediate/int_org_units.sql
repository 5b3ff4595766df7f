-- Which org units a record attributed to a team counts towards besides the whole authority
-- ('LA', which counts everything, records with no team included): the team itself and every
-- department above it.
with recursive teams as (
    select team_id, parent_team_id from {{ ref('int_teams') }}
),

ancestors (team_id, org_unit, depth) as (
    select team_id, team_id, 0 from teams
    union all
    select ancestors.team_id, teams.parent_team_id, ancestors.depth + 1
    from ancestors
    inner join teams on teams.team_id = ancestors.org_unit
    where teams.parent_team_id is not null and ancestors.depth < 10
)

select distinct team_id, org_unit from ancestors
