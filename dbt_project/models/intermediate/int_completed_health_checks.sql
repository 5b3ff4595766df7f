-- Health and dental checks of looked-after children that were completed, with their date.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    health_check_id,
    person_id,
    check_type,
    check_date
from {{ ref('stg_ssd__ssd_cla_health') }}
where check_status = 'Completed'
  and check_date is not null
