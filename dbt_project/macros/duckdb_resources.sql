{#- What DuckDB may use in this dbt run, as configured (config `duckdb`, passed by the pipeline as
    vars): the settings are global to the one DuckDB instance dbt-duckdb shares between its
    threads. Without the vars (dbt run by hand, unit tests) DuckDB's defaults stand. -#}
{% macro apply_duckdb_resources() -%}
    {%- set statements = [] -%}
    {%- for name in ['memory_limit', 'temp_directory'] -%}
        {%- if var('duckdb_' ~ name, none) is not none -%}
            {%- do statements.append("set global " ~ name ~ " = '" ~ (var('duckdb_' ~ name) | replace("'", "''")) ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('duckdb_threads', none) is not none -%}
        {%- do statements.append("set global threads = " ~ (var('duckdb_threads') | int)) -%}
    {%- endif -%}
    {{ return(statements | join(';\n') if statements else 'select 1') }}
{%- endmacro %}
