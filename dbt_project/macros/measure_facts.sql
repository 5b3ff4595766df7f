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

{#
  Facts about a person count at the person's allocated team at E (int_person_team_at_month_end:
  the latest-starting open allocation, else the latest open referral). `person_facts` has
  measure_id, period_end, person_id, is_uasc, numerator, denominator; with
  uasc_at_period_end the UASC flag is taken at E instead.
#}
{% macro at_allocated_team(person_facts, uasc_at_period_end=false) -%}
    select
        facts_for_team.measure_id,
        facts_for_team.period_end,
        allocated_team.team_id,
        {% if uasc_at_period_end -%}
        {{ is_uasc_at('uasc_for_team.uasc_from', 'facts_for_team.period_end') }}
        {%- else -%}
        facts_for_team.is_uasc
        {%- endif %} as is_uasc,
        facts_for_team.numerator,
        facts_for_team.denominator
    from {{ person_facts }} as facts_for_team
    left join {{ ref('int_person_team_at_month_end') }} as allocated_team
        on allocated_team.period_end = facts_for_team.period_end
       and allocated_team.person_id = facts_for_team.person_id
    {% if uasc_at_period_end -%}
    left join {{ ref('int_person_uasc') }} as uasc_for_team on uasc_for_team.person_id = facts_for_team.person_id
    {%- endif %}
{%- endmacro %}
