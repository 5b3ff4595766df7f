-- Placements of looked-after children.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    placement_id,
    person_id,
    cla_id,
    start_date,
    end_date,
    placement_type,
    provider,
    distance_miles
from {{ ref('stg_ssd__ssd_cla_placement') }}
