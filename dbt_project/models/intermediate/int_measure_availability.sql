-- A measure can be computed only when every table it needs is in the extract; otherwise it
-- is published as null with the reason.
with requirements as (
    select requirements.measure_id, requirements.table_name, coalesce(tables.present, false) as present
    from {{ ref('stg_catalogue__measure_requirements') }} as requirements
    left join {{ ref('stg_pipeline__extract_tables') }} as tables on tables.table_name = requirements.table_name
)

select
    catalogue.measure_id,
    {{ dbt.listagg("case when not requirements.present then requirements.table_name end", "', '", "order by requirements.table_name") }} as missing_tables
from {{ ref('stg_catalogue__measures') }} as catalogue
left join requirements on requirements.measure_id = catalogue.measure_id
group by catalogue.measure_id
