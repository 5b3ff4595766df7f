-- The measure catalogue (models/measures.yml): what each measure means, its targets and bands.
{{ config(materialized='view') }}  -- a renaming or a filter: read where it is used
select * from {{ ref('stg_catalogue__measures') }}
