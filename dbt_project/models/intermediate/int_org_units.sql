-- Which org units a record attributed to a team counts towards besides the whole authority
-- ('LA', which counts everything, records with no team included): the team itself and every
-- department above it.
with recursive departments as (
    select dept_team_id, dept_team_parent_id from {{ ref('stg_ssd__ssd_department') }}
),

ancestors (team_id, org_unit, depth) as (
    select dept_team_id, dept_team_id, 0 from departments
    union all
    select ancestors.team_id, departments.dept_team_parent_id, ancestors.depth + 1
    from ancestors
    join departments on departments.dept_team_id = ancestors.org_unit
    where departments.dept_team_parent_id is not null and ancestors.depth < 10
)

select distinct team_id, org_unit from ancestors
