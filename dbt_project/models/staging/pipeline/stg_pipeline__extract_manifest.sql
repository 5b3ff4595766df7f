select
    extract_id,
    la_code,
    extracted_at,
    period_end,
    period_start,
    ssd_version
from {{ source('raw', 'extract_manifest') }}
