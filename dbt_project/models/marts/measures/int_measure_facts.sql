{{ config(materialized='table') }}

-- Every family's measure records, summed to measure x month end x team x UASC flag (each family
-- in its own int_measure_facts__<family>): the one union that fct_measure_results rolls up to org
-- units and scopes, and that the LA = sum of parts test reads. Not published (int_): the
-- families' records stay in the working warehouse.
-- every family table is the output of macros/measure_facts.sql `sum_measure_records`: one shape
{% for family in measure_families() -%}
select * from {{ ref('int_measure_facts__' ~ family) }}
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
