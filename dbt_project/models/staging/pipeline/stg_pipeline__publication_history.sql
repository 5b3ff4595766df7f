select
    extract_id,
    published_at,
    measure_id,
    period_end,
    org_unit,
    uasc_scope,
    numerator,
    denominator,
    value
from {{ source('raw', 'publication_history') }}
