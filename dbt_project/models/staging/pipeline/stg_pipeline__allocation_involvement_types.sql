select upper(trim(involvement_type)) as involvement_type
from {{ source('raw', 'allocation_involvement_types') }}
