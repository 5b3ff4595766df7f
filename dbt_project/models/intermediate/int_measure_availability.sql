-- A measure can be computed only when the extract holds every table and extension column it
-- needs; otherwise it is published as null with the reason. A measure whose missing column
-- allows it (care leavers without clea_status_date) is published for the extract's own month.
with requirements as (
    select
        requirements.measure_id,
        requirements.table_name,
        requirements.column_name,
        requirements.without_columns,
        case
            when requirements.column_name is null then coalesce(tables.present, false)
            else coalesce(columns.present, false)
        end as present
    from {{ ref('stg_catalogue__measure_requirements') }} as requirements
    left join {{ ref('stg_pipeline__extract_tables') }} as tables on tables.table_name = requirements.table_name
    left join {{ ref('stg_pipeline__extract_columns') }} as columns
        on columns.table_name = requirements.table_name and columns.column_name = requirements.column_name
),

missing as (
    select
        measure_id,
        case when column_name is null then table_name else table_name || '.' || column_name end as requirement,
        case
            when column_name is null or without_columns = 'unavailable' then 'all_months'
            else 'earlier_months'
        end as months_affected
    from requirements
    where not present
)

select
    catalogue.measure_id,
    {{ dbt.listagg("case when missing.months_affected = 'all_months' then missing.requirement end", "', '", "order by missing.requirement") }} as missing_tables,
    {{ dbt.listagg("case when missing.months_affected = 'earlier_months' then missing.requirement end", "', '", "order by missing.requirement") }} as missing_for_earlier_months
from {{ ref('stg_catalogue__measures') }} as catalogue
left join missing on missing.measure_id = catalogue.measure_id
group by catalogue.measure_id
