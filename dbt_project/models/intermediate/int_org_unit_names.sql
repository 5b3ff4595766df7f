-- Every org unit with its name and level: the whole authority, areas (departments with teams
-- under them) and teams.
with teams as {{ inlined() }} (
    select * from {{ ref('int_teams') }}
)

select
    'LA' as org_unit,
    'Whole authority' as org_unit_name,
    'la' as org_unit_level,
    cast(null as {{ dbt.type_string() }}) as parent_org_unit
union all
select
    teams.team_id,
    teams.team_name,
    case when exists (select 1 from teams as children where children.parent_team_id = teams.team_id)
         then 'area' else 'team' end,
    teams.parent_team_id
from teams
