-- Statutory visits to looked-after children.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    visit_id,
    person_id,
    visit_date,
    coalesce(is_seen, false) as is_seen
from {{ ref('stg_ssd__ssd_cla_visits') }}
