select
    table_name,
    present
from {{ source('raw', 'extract_tables') }}
