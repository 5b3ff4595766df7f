-- Short breaks: legal statuses V3 and V4. The only home of the short-break rule: a child is on
-- short breaks at d when one of these spells is open at d (is_open_at), and is then left out of
-- every CLA measure at d; a period of care starting on short breaks is a short-break period.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    legal_status_id,
    person_id,
    start_date,
    end_date
from {{ ref('int_legal_statuses') }}
where legal_status in ('V3', 'V4')
