-- Legal statuses of looked-after children.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    legal_status_id,
    person_id,
    legal_status,
    start_date,
    end_date
from {{ ref('stg_ssd__ssd_legal_status') }}
