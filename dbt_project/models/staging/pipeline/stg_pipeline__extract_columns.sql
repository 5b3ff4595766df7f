select
    table_name,
    column_name,
    present
from {{ source('raw', 'extract_columns') }}
