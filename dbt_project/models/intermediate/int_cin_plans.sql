-- Child in need plans.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    cin_plan_id,
    person_id,
    start_date,
    end_date
from {{ ref('stg_ssd__ssd_cin_plans') }}
