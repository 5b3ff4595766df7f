-- Case file, CP report and CIC care plan audits, at the team audited.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    audit_id,
    person_id,
    audit_type,
    team_id,
    due_date,
    completed_date,
    grade
from {{ ref('stg_ssd__ext_case_audits') }}
