-- The disclosure policy (configuration `disclosure`), one row.
select
    threshold,
    rounding_base,
    suppress_zeros
from {{ source('raw', 'disclosure_policy') }}
