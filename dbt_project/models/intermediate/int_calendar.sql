-- One row per calendar day with England working days (weekends and bank holidays excluded).
-- working_day_number counts working days up to and including the day, so the working days
-- between a and b are a simple difference (macros/working_days.sql).
with days as (
    {{ dbt.date_spine('day', "cast('1990-01-01' as date)", "cast('2046-01-01' as date)") }}
),

calendar as (
    select
        cast(days.date_day as date) as date_day,
        {{ extract_part('dow', 'days.date_day') }} as day_of_week,  -- 0 = Sunday, 6 = Saturday
        holidays.holiday_name
    from days
    left join {{ ref('stg_pipeline__bank_holidays') }} as holidays
        on holidays.holiday_date = cast(days.date_day as date)
)

select
    date_day,
    day_of_week,
    holiday_name,
    (day_of_week not in (0, 6) and holiday_name is null) as is_working_day,
    -- an integer: a sum is a 128-bit integer on DuckDB, whose compressed columns read slowly
    -- (national CP visits' working day numbers: 7.3 s a scan as HUGEINT)
    cast(
        sum(case when day_of_week not in (0, 6) and holiday_name is null then 1 else 0 end)
            over (order by date_day rows between unbounded preceding and current row)
        as {{ dbt.type_int() }}
    ) as working_day_number
from calendar
