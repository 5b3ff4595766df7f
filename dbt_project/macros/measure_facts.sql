{#
  Measure facts: every measure family model returns rows of
    measure_id, period_end, team_id, is_uasc, numerator, denominator
  at the grain measure x month end x team x UASC flag. fct_measure_results rolls them up to
  org units and scopes. measure_placeholders() declares a family's measures for every month
  so a measure with nothing to count still gets its rows; placeholders add nothing to sums.
#}
{% macro measure_placeholders(measure_ids) -%}
    select ids.measure_id, placeholder_months.period_end, cast(null as {{ dbt.type_string() }}) as team_id,
           false as is_uasc, cast(null as integer) as numerator, cast(null as integer) as denominator
    from {{ ref('int_month_ends') }} as placeholder_months
    cross join (
        {% for id in measure_ids -%}
        select '{{ id }}' as measure_id{% if not loop.last %} union all {% endif %}
        {%- endfor %}
    ) as ids
{%- endmacro %}

{% macro aggregate_measure_facts(relation) -%}
    select
        measure_id,
        period_end,
        team_id,
        is_uasc,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from {{ relation }}
    group by measure_id, period_end, team_id, is_uasc
{%- endmacro %}

{# 1 when the condition holds, else 0: a record's contribution to a numerator. #}
{% macro flag(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro %}
