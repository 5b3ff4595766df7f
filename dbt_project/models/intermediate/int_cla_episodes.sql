-- Episodes of care; the episodes sharing a cla_id make one period of care.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    episode_id,
    person_id,
    cla_id,
    start_date,
    ceased_date,
    ceased_reason,
    entered_care_date
from {{ ref('stg_ssd__ssd_cla_episodes') }}
