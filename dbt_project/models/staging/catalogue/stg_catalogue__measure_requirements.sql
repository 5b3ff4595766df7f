-- The extract tables and extension columns each measure needs (models/measures.yml `requires`,
-- `requires_columns`), and what follows when a column is absent (`without_columns`).
select
    measure_id,
    table_name,
    column_name,
    without_columns
from {{ source('raw', 'measure_requirements') }}
