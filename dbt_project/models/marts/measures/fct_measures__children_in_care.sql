-- Children in care measures (measures.md 23, 32, 33, 34, 41) and the UASC LAC count (58).
-- Short breaks are excluded throughout: int_looked_after_at_month_end leaves out children on
-- V3/V4 at E, and short-break periods of care are left out of starts, ceases and adoptions.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

looked_after as (
    select * from {{ ref('int_looked_after_at_month_end') }}
),

periods as (
    select * from {{ ref('int_periods_of_care') }} where not is_short_break
),

placements as (
    select * from {{ ref('int_placements') }}
),

uasc as (
    select * from {{ ref('int_person_uasc') }}
),

placements_in_12m as (
    -- distinct placements (any period of care) overlapping (E - 12 months, E]
    select looked_after.period_end, looked_after.person_id, count(distinct placements.placement_id) as placement_count
    from looked_after
    join month_ends as m on m.period_end = looked_after.period_end
    join placements
        on placements.person_id = looked_after.person_id
       and placements.start_date <= m.period_end
       and (placements.end_date is null or placements.end_date > m.minus_12_months)
    group by looked_after.period_end, looked_after.person_id
),

person_facts as (
    -- 32. children looked after at E; 58. of whom UASC; 33. per 10,000 (rate: population added later)
    select 'cla_count' as measure_id, period_end, person_id, is_uasc, 1 as numerator, cast(null as integer) as denominator
    from looked_after
    union all
    select 'uasc_cla_count', period_end, person_id, is_uasc, 1, null
    from looked_after where is_uasc
    union all
    select 'cla_per_10k', period_end, person_id, is_uasc, 1, null
    from looked_after

    union all
    -- 23. three or more placements in the last 12 months
    select 'cla_3plus_placements_12m', looked_after.period_end, looked_after.person_id, looked_after.is_uasc,
           {{ flag('coalesce(placements_in_12m.placement_count, 0) >= 3') }}, 1
    from looked_after
    left join placements_in_12m
        on placements_in_12m.period_end = looked_after.period_end
       and placements_in_12m.person_id = looked_after.person_id

    union all
    -- 34. periods of care starting / ceasing in the month
    select 'cla_started', m.period_end, periods.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'periods.start_date') }}, 1, null
    from month_ends as m
    join periods on {{ in_period('periods.start_date', 'M') }}
    left join uasc on uasc.person_id = periods.person_id
    union all
    select 'cla_ceased', m.period_end, periods.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'periods.ceased_date') }}, 1, null
    from month_ends as m
    join periods on {{ in_period('periods.ceased_date', 'M') }}
    left join uasc on uasc.person_id = periods.person_id

    union all
    -- 41. periods of care ceasing in the year to date by adoption (E11, E12)
    select 'cla_ceased_adopted', m.period_end, periods.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'periods.ceased_date') }},
           {{ flag("periods.ceased_reason in ('E11', 'E12')") }}, 1
    from month_ends as m
    join periods on {{ in_period('periods.ceased_date', 'YTD') }}
    left join uasc on uasc.person_id = periods.person_id
),

facts as (
    select person_facts.measure_id, person_facts.period_end, person_team.team_id, person_facts.is_uasc,
           person_facts.numerator, person_facts.denominator
    from person_facts
    left join {{ ref('int_person_team_at_month_end') }} as person_team
        on person_team.period_end = person_facts.period_end and person_team.person_id = person_facts.person_id

    union all
    {{ measure_placeholders(['cla_count', 'uasc_cla_count', 'cla_per_10k', 'cla_3plus_placements_12m',
                             'cla_started', 'cla_ceased', 'cla_ceased_adopted']) }}
)

{{ aggregate_measure_facts('facts') }}
