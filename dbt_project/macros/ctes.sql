{#
  An import CTE names a model for the query that reads it:
      referrals as {{ inlined() }} (
          select * from {{ ref('int_referrals') }}
      ),
  DuckDB materialises a CTE that a query reads more than once: every row of the columns used is
  copied into memory before the first join and each join reads the copy, where read in place
  each join scans the stored table with its own columns and filters. Keeping import CTEs as
  names took referrals and assessments nationally from 105.7-106.2 s to 72.0-76.9 s, the same
  sums (README "Scale"). NOT MATERIALIZED is DuckDB's and PostgreSQL's; engines that inline CTEs
  anyway get nothing. A CTE that computes something read several times (a child's status at
  each month end) is left to the engine: computed once is what is wanted there.
#}
{% macro inlined() -%}
    {{ return(adapter.dispatch('inlined')()) }}
{%- endmacro %}

{% macro default__inlined() -%}
{%- endmacro %}

{% macro duckdb__inlined() -%}
    not materialized
{%- endmacro %}
