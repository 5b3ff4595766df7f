select
    holiday_date,
    holiday_name
from {{ source('raw', 'bank_holidays') }}
