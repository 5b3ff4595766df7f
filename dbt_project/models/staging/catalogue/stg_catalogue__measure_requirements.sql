-- Which extract tables each measure needs (models/measures.yml `requires`).
select measure_id, table_name from {{ source('raw', 'measure_requirements') }}
