{#
  Measure records. Every measure family model (marts/measures/fct_measures__<family>.sql)
  returns one row per record that counts towards a measure in a month:
    measure_id, period_end, team_id, is_uasc, attribution, person_id, record_id, numerator, denominator
  (numerator and denominator are the record's contribution: 1/0 flags, days, FTE, as exact
  decimals so that sums do not depend on the order rows are added in). int_measure_facts__<family>
  sums them to measure x month end x team x UASC flag, int_measure_facts unions the families,
  fct_measure_results rolls them up to org units and scopes; `cscw explain` lists them.

  Each family writes its records as `person_facts` (about a person: counted at the person's
  allocated team at E) and/or `event_facts` (counted at the team recorded on the event), then
  selects {{ at_allocated_team('person_facts') }} union all {{ at_event_team('event_facts') }}
  union all {{ measure_placeholders('<family>') }}.
#}

{#
  A family's records summed to measure x month end x team x UASC flag x attribution: the model
  int_measure_facts__<family> (written by `cscw codegen`, one per family of the catalogue).
  Summed family by family, each into its own table, because one query over every family's
  records keeps all their month-end snapshots in memory at once: on the default extract with a
  250 MB memory limit the single query ran out of memory where ten family tables took 6.5 s.
#}
{% macro sum_measure_records(family) -%}
    select
        measure_id,
        period_end,
        team_id,
        is_uasc,
        attribution,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from {{ ref('fct_measures__' ~ family) }}
    group by measure_id, period_end, team_id, is_uasc, attribution
{%- endmacro %}

{# A row per measure of the family (models/measures.yml) and month, so a measure with nothing to count is still published. #}
{% macro measure_placeholders(family) -%}
    select
        family_measures.measure_id,
        placeholder_months.period_end,
        cast(null as {{ dbt.type_string() }}) as team_id,
        false as is_uasc,
        cast(null as {{ dbt.type_string() }}) as attribution,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as {{ dbt.type_string() }}) as record_id,
        {{ measure_amount('null') }} as numerator,
        {{ measure_amount('null') }} as denominator
    from {{ ref('int_month_ends') }} as placeholder_months
    cross join (
        {% for measure_id in family_measure_ids(family) -%}
        select '{{ measure_id }}' as measure_id{% if not loop.last %} union all {% endif %}
        {%- endfor %}
    ) as family_measures
{%- endmacro %}

{# A record's contribution as an exact decimal (FTE to 4 places): sums of FTE as binary floats
   would differ in the last digit from run to run with the order of addition. #}
{% macro measure_amount(expr) -%}
    cast({{ expr }} as decimal(18, 4))
{%- endmacro %}

{# 1 when the condition holds, else 0: a record's contribution to a numerator. #}
{% macro flag(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro %}

{#
  Records about a person count at the person's allocated team at E (the latest-starting open
  allocation, else the latest open referral), found as the person's spell at that team holding E
  (int_person_team_spells: a join on the person, not on E too).
  `person_facts` has measure_id, period_end, person_id, record_id, is_uasc, numerator,
  denominator; with uasc_at_period_end the UASC flag is taken at E instead (and person_facts
  needs no is_uasc).
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
        'person_team' as attribution,
        facts_for_team.person_id,
        facts_for_team.record_id,
        {{ measure_amount('facts_for_team.numerator') }} as numerator,
        {{ measure_amount('facts_for_team.denominator') }} as denominator
    from {{ person_facts }} as facts_for_team
    {{ join_allocated_team('facts_for_team', uasc_at_period_end) }}
{%- endmacro %}

{#
  The joins finding the allocated team (allocated_team.team_id) of each row of `alias`, which has
  period_end and person_id, and with uasc_at_period_end its person's UASC dates
  (uasc_for_team.uasc_from). A family whose measures fan out from one row per child and month
  end joins the team there, once, rather than on every measure's records: nationally children in
  need 212.3 -> 163.5 s, children in care 125.3 -> 77.2 s, the same sums (README "Scale").
#}
{% macro join_allocated_team(alias, uasc_at_period_end=false) -%}
    left join {{ ref('int_person_team_spells') }} as allocated_team
        on allocated_team.person_id = {{ alias }}.person_id
       and allocated_team.first_period_end <= {{ alias }}.period_end
       and allocated_team.last_period_end >= {{ alias }}.period_end
    {% if uasc_at_period_end -%}
    left join {{ ref('int_person_uasc') }} as uasc_for_team on uasc_for_team.person_id = {{ alias }}.person_id
    {%- endif %}
{%- endmacro %}

{# Records about a person that already carry their allocated team and UASC flag (join_allocated_team). #}
{% macro person_team_records(person_facts) -%}
    {{ measure_records(person_facts, 'person_team') }}
{%- endmacro %}

{# Records of an event count at the team recorded on it. `event_facts` has the columns of a measure record but attribution. #}
{% macro at_event_team(event_facts) -%}
    {{ measure_records(event_facts, 'event_team') }}
{%- endmacro %}

{# Facts that carry their team and UASC flag as measure records, saying how the team was found. #}
{% macro measure_records(facts, attribution) -%}
    select
        measure_id,
        period_end,
        team_id,
        is_uasc,
        '{{ attribution }}' as attribution,
        person_id,
        record_id,
        {{ measure_amount('numerator') }} as numerator,
        {{ measure_amount('denominator') }} as denominator
    from {{ facts }}
{%- endmacro %}
