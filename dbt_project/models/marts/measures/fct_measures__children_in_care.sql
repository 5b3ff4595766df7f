-- Children in care measures (measures.md 23-37, 41) and the UASC LAC count (58).
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

current_placement as (
    select * from {{ ref('int_current_placement_at_month_end') }}
),

people as (
    select pers_person_id as person_id, pers_dob as dob from {{ ref('stg_ssd__ssd_person') }}
),

-- the child's situation at E: current period of care, placement, age
looked_after_detail as (
    select
        looked_after.*,
        m.minus_6_months,
        m.minus_12_months,
        m.minus_18_months,
        m.minus_24_months,
        m.minus_30_months,
        current_period.start_date as period_start_date,
        current_placement.placement_type,
        current_placement.provider,
        current_placement.distance_miles,
        current_placement.start_date as placement_start_date,
        current_placement.previous_placement_start_date,
        {{ age_at('people.dob', 'looked_after.period_end') }} as age
    from looked_after
    join month_ends as m on m.period_end = looked_after.period_end
    left join {{ ref('int_periods_of_care') }} as current_period on current_period.cla_id = looked_after.cla_id
    left join current_placement
        on current_placement.period_end = looked_after.period_end and current_placement.person_id = looked_after.person_id
    left join people on people.person_id = looked_after.person_id
),

reviews as (
    select * from {{ ref('int_cla_reviews') }}
),

reviews_due as (
    select d.period_end, d.person_id, min({{ flag('reviews.is_held_on_time') }}) as all_on_time
    from looked_after_detail as d
    join reviews on reviews.cla_id = d.cla_id and reviews.due_date <= d.period_end
    group by d.period_end, d.person_id
),

completed_checks as (
    select clah_person_id as person_id, clah_health_check_type as check_type, clah_health_check_date as check_date
    from {{ ref('stg_ssd__ssd_cla_health') }}
    where clah_health_check_status = 'Completed' and clah_health_check_date is not null
),

dental_in_12m as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    join completed_checks as checks
        on checks.person_id = d.person_id and checks.check_type = 'DENTAL'
       and checks.check_date > d.minus_12_months and checks.check_date <= d.period_end
),

health_in_time as (
    -- under-fives need a health assessment in the last 6 months, others in the last 12
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    join completed_checks as checks
        on checks.person_id = d.person_id and checks.check_type = 'HEALTH_ASSESSMENT'
       and checks.check_date > case when d.age < 5 then d.minus_6_months else d.minus_12_months end
       and checks.check_date <= d.period_end
),

same_worker as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    join {{ ref('stg_ssd__ssd_involvements') }} as allocations
        on allocations.invo_person_id = d.person_id
       and allocations.invo_involvement_start_date <= d.minus_12_months
       and (allocations.invo_involvement_end_date is null or allocations.invo_involvement_end_date > d.period_end)
),

on_section_20 as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    join {{ ref('stg_ssd__ssd_legal_status') }} as legal
        on legal.lega_person_id = d.person_id and legal.lega_legal_status = 'V2'
       and {{ is_open_at('legal.lega_legal_status_start_date', 'legal.lega_legal_status_end_date', 'd.period_end') }}
),

seen_visits as (
    -- each seen statutory visit is the latest one from its date until the next one
    select
        clav_person_id as person_id,
        clav_cla_visit_date as visit_date,
        lead(clav_cla_visit_date) over (partition by clav_person_id order by clav_cla_visit_date, {{ id_order('clav_cla_visit_id') }}) as next_visit_date
    from {{ ref('stg_ssd__ssd_cla_visits') }}
    where clav_cla_visit_seen = 'Y'
),

latest_visit as (
    select d.period_end, d.person_id, max(seen_visits.visit_date) as visit_date
    from looked_after_detail as d
    join seen_visits
        on seen_visits.person_id = d.person_id
       and {{ is_open_at('seen_visits.visit_date', 'seen_visits.next_visit_date', 'd.period_end') }}
    group by d.period_end, d.person_id
),

short_break_spells as (
    select lega_person_id as person_id, lega_legal_status_start_date as start_date, lega_legal_status_end_date as end_date
    from {{ ref('stg_ssd__ssd_legal_status') }}
    where lega_legal_status in ('V3', 'V4')
),

reviews_held_not_on_short_breaks as (
    select reviews.*
    from reviews
    where reviews.is_held
      and reviews.participation in ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
      and not exists (
          select 1 from short_break_spells as sb
          where sb.person_id = reviews.person_id
            and {{ is_open_at('sb.start_date', 'sb.end_date', 'reviews.review_date') }}
      )
),

initial_health_assessments as (
    select person_id, check_date from completed_checks where check_type = 'INITIAL_HEALTH_ASSESSMENT'
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
    -- 24. under-16s in care for 2.5 years: in the same placement for 2 years (or adopted from it)
    select 'cla_long_term_stability', d.period_end, d.person_id, d.is_uasc,
           {{ flag("d.placement_start_date <= d.minus_24_months or (d.placement_type in ('A3', 'A4', 'A5', 'A6') and d.previous_placement_start_date <= d.minus_24_months)") }}, 1
    from looked_after_detail as d
    where d.age < 16 and d.period_start_date <= d.minus_30_months

    union all
    -- 25. foster placements with the authority's own carers or family and friends
    select 'cla_foster_in_house_or_family', d.period_end, d.person_id, d.is_uasc,
           {{ flag("d.placement_type in ('U1', 'U2', 'U3') or d.provider = 'PR1'") }}, 1
    from looked_after_detail as d
    where d.placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')

    union all
    -- 26. non-UASC children placed within 20 miles
    select 'cla_within_20_miles', d.period_end, d.person_id, d.is_uasc,
           {{ flag('d.distance_miles <= 20') }}, 1
    from looked_after_detail as d
    where not d.is_uasc and d.distance_miles is not null

    union all
    -- 28. every review of the current period of care due by E held on time
    select 'cla_reviews_in_time', d.period_end, d.person_id, d.is_uasc, reviews_due.all_on_time, 1
    from looked_after_detail as d
    join reviews_due on reviews_due.period_end = d.period_end and reviews_due.person_id = d.person_id

    union all
    -- 29. / 30. in care 12 months: dental check / health assessment in time
    select 'cla_dental_in_time', d.period_end, d.person_id, d.is_uasc,
           {{ flag('dental_in_12m.person_id is not null') }}, 1
    from looked_after_detail as d
    left join dental_in_12m on dental_in_12m.period_end = d.period_end and dental_in_12m.person_id = d.person_id
    where d.period_start_date <= d.minus_12_months
    union all
    select 'cla_health_in_time', d.period_end, d.person_id, d.is_uasc,
           {{ flag('health_in_time.person_id is not null') }}, 1
    from looked_after_detail as d
    left join health_in_time on health_in_time.period_end = d.period_end and health_in_time.person_id = d.person_id
    where d.period_start_date <= d.minus_12_months

    union all
    -- 31. in care 18 months: one allocation covering the last 12 months
    select 'cla_same_worker_12m', d.period_end, d.person_id, d.is_uasc,
           {{ flag('same_worker.person_id is not null') }}, 1
    from looked_after_detail as d
    left join same_worker on same_worker.period_end = d.period_end and same_worker.person_id = d.person_id
    where d.period_start_date <= d.minus_18_months

    union all
    -- 35. accommodated under section 20 (V2)
    select 'cla_s20_pct', d.period_end, d.person_id, d.is_uasc,
           {{ flag('on_section_20.person_id is not null') }}, 1
    from looked_after_detail as d
    left join on_section_20 on on_section_20.period_end = d.period_end and on_section_20.person_id = d.person_id

    union all
    -- 37. latest seen visit within 6 weeks (placement under a year old) or 13 weeks
    select 'cla_visits_up_to_date', d.period_end, d.person_id, d.is_uasc,
           {{ flag("latest_visit.visit_date is not null and " ~ dbt.datediff('latest_visit.visit_date', 'd.period_end', 'day') ~ " < case when d.placement_start_date is not null and " ~ dbt.datediff('d.placement_start_date', 'd.period_end', 'day') ~ " < 365 then 42 else 91 end") }}, 1
    from looked_after_detail as d
    left join latest_visit on latest_visit.period_end = d.period_end and latest_visit.person_id = d.person_id

    union all
    -- 27. participation at reviews held in the year to date (not on short breaks)
    select 'cla_review_participation', m.period_end, r.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'r.review_date') }},
           {{ flag("r.participation <> 'PN7'") }}, 1
    from month_ends as m
    join reviews_held_not_on_short_breaks as r on {{ in_period('r.review_date', 'YTD') }}
    left join uasc on uasc.person_id = r.person_id

    union all
    -- 36. initial health assessments within 20 working days of coming into care
    select 'cla_iha_in_time', m.period_end, periods.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'periods.start_date') }},
           {{ flag('exists (select 1 from initial_health_assessments as iha where iha.person_id = periods.person_id and iha.check_date >= periods.start_date and iha.check_date < periods.twenty_first_working_day)') }}, 1
    from month_ends as m
    join periods
        on {{ in_period('periods.start_date', 'YTD') }}
       and periods.twentieth_working_day <= m.period_end
       and (periods.ceased_date is null or periods.ceased_date >= periods.twentieth_working_day)
    left join uasc on uasc.person_id = periods.person_id

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
    {{ at_allocated_team('person_facts') }}

    union all
    {{ measure_placeholders(['cla_count', 'uasc_cla_count', 'cla_per_10k', 'cla_3plus_placements_12m',
                             'cla_long_term_stability', 'cla_foster_in_house_or_family', 'cla_within_20_miles',
                             'cla_review_participation', 'cla_reviews_in_time', 'cla_dental_in_time',
                             'cla_health_in_time', 'cla_same_worker_12m', 'cla_s20_pct', 'cla_iha_in_time',
                             'cla_visits_up_to_date', 'cla_started', 'cla_ceased', 'cla_ceased_adopted']) }}
)

{{ aggregate_measure_facts('facts') }}
