-- Every org unit with its name and level: the whole authority, areas (departments with teams
-- under them) and teams.
with departments as (
    select * from {{ ref('stg_ssd__ssd_department') }}
)

select 'LA' as org_unit, 'Whole authority' as org_unit_name, 'la' as org_unit_level, cast(null as {{ dbt.type_string() }}) as parent_org_unit
union all
select
    departments.dept_team_id,
    departments.dept_team_name,
    case when exists (select 1 from departments as children where children.dept_team_parent_id = departments.dept_team_id)
         then 'area' else 'team' end,
    departments.dept_team_parent_id
from departments
