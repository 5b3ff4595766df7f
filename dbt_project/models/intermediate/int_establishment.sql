-- Funded caseholding posts (FTE) per team per month end.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select
    month_end,
    team_id,
    caseholding_posts_fte
from {{ ref('stg_ssd__ext_establishment') }}
