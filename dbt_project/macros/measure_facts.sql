{#
  Measure records. Every measure family model (marts/measures/fct_measures__<family>.sql)
  returns one row per record that counts towards a measure in a month, or in each of a range of
  months with the same team and UASC flag (period_end to last_period_end, the same for most):
    measure_id, period_end, last_period_end, team_id, is_uasc, attribution, person_id, record_id,
    numerator, denominator
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
    {#- a family with records over ranges of month ends (at_allocated/event_team_over_months) sums them by
        range, then expands each range to its month ends once; the others sum by month end alone
        (one more key to group by cost children in need 13 s of 80 nationally) -#}
    {%- set family_node = graph.nodes.get('model.' ~ project_name ~ '.fct_measures__' ~ family) if execute else none -%}
    {%- if family_node is not none and '_over_months(' in family_node.raw_code %}
    -- depends_on: {{ ref('int_month_ends') }}
    with records_by_range as (
        select
            measure_id,
            period_end,
            last_period_end,
            team_id,
            is_uasc,
            attribution,
            sum(numerator) as numerator,
            sum(denominator) as denominator
        from {{ ref('fct_measures__' ~ family) }}
        group by measure_id, period_end, last_period_end, team_id, is_uasc, attribution
    )

    select
        records_by_range.measure_id,
        month_ends.period_end,
        records_by_range.team_id,
        records_by_range.is_uasc,
        records_by_range.attribution,
        sum(records_by_range.numerator) as numerator,
        sum(records_by_range.denominator) as denominator
    from records_by_range
    inner join {{ ref('int_month_ends') }} as month_ends
        on month_ends.period_end >= records_by_range.period_end
       and month_ends.period_end <= records_by_range.last_period_end
    group by
        records_by_range.measure_id,
        month_ends.period_end,
        records_by_range.team_id,
        records_by_range.is_uasc,
        records_by_range.attribution
    {%- else %}
    -- depends_on: {{ ref('int_month_ends') }}
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
    {%- endif %}
{%- endmacro %}

{# A row per measure of the family (models/measures.yml) and month, so a measure with nothing to count is still published. #}
{% macro measure_placeholders(family) -%}
    select
        family_measures.measure_id,
        placeholder_months.period_end,
        placeholder_months.period_end as last_period_end,
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
        facts_for_team.period_end as last_period_end,
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
  Records about a person that count at every month end of a range (a contact in each month end
  of its financial year to date), each at the person's allocated team at E and UASC at E, as
  at_allocated_team(..., uasc_at_period_end=true) would count them month end by month end, but
  cut into pieces of constant team and UASC flag instead of a row per month end: nationally the
  front door's summing query 44.7 -> 27.4-29.0 s with in_period 'M' an equality, the same sums
  (README "Scale").
  `person_ranges` has measure_id, first_period_end, last_period_end (the month ends whose window
  holds the record: first/last_month_end_in_period), person_id, record_id, numerator, denominator.
  The range is clamped to the reporting months; the person's team spells are joined by overlap,
  with the months between them (and before the first and after the last) as spells with no team,
  so that every month end of the range is in exactly one piece; a person with no spell is one
  piece with no team. UASC from the month end on or after uasc_from (is_uasc_at); with
  uasc_at_period_end=false, the record's own is_uasc (taken at its event) instead.
#}
{% macro at_allocated_team_over_months(person_ranges, uasc_at_period_end=true) -%}
    select
        uasc_pieces.measure_id,
        uasc_pieces.first_period_end as period_end,
        uasc_pieces.last_period_end,
        uasc_pieces.team_id,
        uasc_pieces.is_uasc,
        'person_team' as attribution,
        uasc_pieces.person_id,
        uasc_pieces.record_id,
        {{ measure_amount('uasc_pieces.numerator') }} as numerator,
        {{ measure_amount('uasc_pieces.denominator') }} as denominator
    from (
        with reporting_months as (
            select min(period_end) as first_period_end, max(period_end) as last_period_end
            from {{ ref('int_month_ends') }}
        ),

        ranges as (
            select
                records.measure_id,
                records.person_id,
                records.record_id,
                records.numerator,
                records.denominator,
                {% if not uasc_at_period_end -%} records.is_uasc, {%- endif %}
                {{ within_reporting_months('records') }}
            from {{ person_ranges }} as records
            cross join reporting_months
            -- a record with no date has no range
            where records.last_period_end >= reporting_months.first_period_end
              and records.first_period_end <= reporting_months.last_period_end
        ),

        -- each spell, the months with no team known before it (from the previous spell or the
        -- first reporting month) and, after a person's last spell, up to the last reporting
        -- month: every reporting month of a person with a spell is in one segment. One pass over
        -- the spells, each row taken once per kind of segment (a CTE read three times would be
        -- written out first: 9 M rows nationally)
        spells as (
            select
                team_spells.person_id,
                team_spells.team_id,
                team_spells.first_period_end,
                team_spells.last_period_end,
                coalesce(
                    {{ month_end(add_months('lag(team_spells.last_period_end) over (partition by team_spells.person_id order by team_spells.first_period_end)', 1)) }},
                    reporting_months.first_period_end
                ) as gap_before_from,
                case when lead(team_spells.first_period_end) over (partition by team_spells.person_id order by team_spells.first_period_end) is null
                    then reporting_months.last_period_end end as gap_after_until
            from {{ ref('int_person_team_spells') }} as team_spells
            cross join reporting_months
        ),

        team_segments as (
            select
                spells.person_id,
                case when segment.kind = 'spell' then spells.team_id end as team_id,
                case segment.kind
                    when 'spell' then spells.first_period_end
                    when 'gap_before' then spells.gap_before_from
                    else {{ month_end(add_months('spells.last_period_end', 1)) }}
                end as first_period_end,
                case segment.kind
                    when 'spell' then spells.last_period_end
                    when 'gap_before' then {{ month_end(add_months('spells.first_period_end', -1)) }}
                    else spells.gap_after_until
                end as last_period_end
            from spells
            cross join (
                select 'spell' as kind union all select 'gap_before' union all select 'gap_after'
            ) as segment
            where segment.kind = 'spell'
               or (segment.kind = 'gap_before' and spells.first_period_end > spells.gap_before_from)
               or (segment.kind = 'gap_after' and spells.last_period_end < spells.gap_after_until)
        ),

        team_pieces as (
            select
                ranges.measure_id,
                ranges.person_id,
                ranges.record_id,
                ranges.numerator,
                ranges.denominator,
                team_segments.team_id,
                case when team_segments.first_period_end > ranges.first_period_end
                    then team_segments.first_period_end else ranges.first_period_end end as first_period_end,
                case when team_segments.last_period_end < ranges.last_period_end
                    then team_segments.last_period_end else ranges.last_period_end end as last_period_end,
                {% if uasc_at_period_end -%}
                {{ month_end('uasc.uasc_from') }} as uasc_month_end
                {%- else -%}
                ranges.is_uasc
                {%- endif %}
            from ranges
            left join team_segments
                on team_segments.person_id = ranges.person_id
               and team_segments.first_period_end <= ranges.last_period_end
               and team_segments.last_period_end >= ranges.first_period_end
            {% if uasc_at_period_end -%}
            left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = ranges.person_id
            {% endif -%}
            where ranges.first_period_end <= ranges.last_period_end
        )

        {% if not uasc_at_period_end -%}
        select measure_id, person_id, record_id, numerator, denominator, team_id, is_uasc, first_period_end, last_period_end
        from team_pieces
        {%- else %}

        -- the months before the month end UASC starts, then those from it (each piece taken once
        -- per side, as the spells are)
        select
            team_pieces.measure_id,
            team_pieces.person_id,
            team_pieces.record_id,
            team_pieces.numerator,
            team_pieces.denominator,
            team_pieces.team_id,
            uasc_side.is_uasc,
            case when uasc_side.is_uasc and team_pieces.uasc_month_end > team_pieces.first_period_end
                then team_pieces.uasc_month_end else team_pieces.first_period_end end as first_period_end,
            case when not uasc_side.is_uasc and team_pieces.uasc_month_end <= team_pieces.last_period_end
                then {{ month_end(add_months('team_pieces.uasc_month_end', -1)) }} else team_pieces.last_period_end
            end as last_period_end
        from team_pieces
        cross join (select false as is_uasc union all select true) as uasc_side
        where (not uasc_side.is_uasc
               and (team_pieces.uasc_month_end is null or team_pieces.uasc_month_end > team_pieces.first_period_end))
           or (uasc_side.is_uasc and team_pieces.uasc_month_end <= team_pieces.last_period_end)
        {%- endif %}
    ) as uasc_pieces
{%- endmacro %}

{#
  Records of an event that count at every month end of a range (an assessment in each month end
  of its financial year to date) at the team recorded on the event, with a UASC flag that does
  not change with E: one row per record and range (at_event_team counts one per month end).
  `event_ranges` has measure_id, first_period_end, last_period_end (first/last_month_end_in_period),
  team_id, is_uasc, person_id, record_id, numerator, denominator.
#}
{% macro at_event_team_over_months(event_ranges) -%}
    select
        records.measure_id,
        {{ within_reporting_months('records', 'period_end') }},
        records.team_id,
        records.is_uasc,
        'event_team' as attribution,
        records.person_id,
        records.record_id,
        {{ measure_amount('records.numerator') }} as numerator,
        {{ measure_amount('records.denominator') }} as denominator
    from {{ event_ranges }} as records
    cross join (
        select min(period_end) as first_period_end, max(period_end) as last_period_end
        from {{ ref('int_month_ends') }}
    ) as reporting_months
    where records.last_period_end >= reporting_months.first_period_end
      and records.first_period_end <= reporting_months.last_period_end
{%- endmacro %}

{# A range's first and last month ends (`alias`.first_period_end, .last_period_end) clamped to
   the reporting months (`reporting_months`): named first_name, last_period_end. #}
{% macro within_reporting_months(alias, first_name='first_period_end') -%}
    case when {{ alias }}.first_period_end > reporting_months.first_period_end
        then {{ alias }}.first_period_end else reporting_months.first_period_end end as {{ first_name }},
    case when {{ alias }}.last_period_end < reporting_months.last_period_end
        then {{ alias }}.last_period_end else reporting_months.last_period_end end as last_period_end
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
        period_end as last_period_end,
        team_id,
        is_uasc,
        '{{ attribution }}' as attribution,
        person_id,
        record_id,
        {{ measure_amount('numerator') }} as numerator,
        {{ measure_amount('denominator') }} as denominator
    from {{ facts }}
{%- endmacro %}
