-- Population aged 0-17 of the extract's authority for each reporting month (ONS mid-year
-- estimate for the calendar year of E); null when the extract has no such row.
select
    m.period_end,
    cast(population.population_0_17 as double) as population_0_17
from {{ ref('int_month_ends') }} as m
cross join {{ ref('stg_pipeline__extract_manifest') }} as manifest
left join {{ ref('stg_ssd__ext_population') }} as population
    on population.year = {{ extract_part('year', 'm.period_end') }}
   and population.la_code = manifest.la_code
