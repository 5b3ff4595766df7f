-- Population aged 0-17 of the extract's authority for each reporting month (ONS mid-year
-- estimate for the calendar year of E); null when the extract has no such row.
select
    m.period_end,
    cast(population.popu_age_0_17 as double) as population_0_17
from {{ ref('int_month_ends') }} as m
cross join {{ source('raw', 'extract_manifest') }} as manifest
left join {{ ref('stg_ssd__ext_population') }} as population
    on population.popu_year = {{ extract_part('year', 'm.period_end') }}
   and population.popu_la_code = manifest.la_code
