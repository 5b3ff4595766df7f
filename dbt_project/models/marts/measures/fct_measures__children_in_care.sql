-- Children in care measures, about each child at their allocated team at E:
-- cla_3plus_placements_12m (measures.md 23), cla_long_term_stability (24),
-- cla_foster_in_house_or_family (25), cla_within_20_miles (26), cla_review_participation (27),
-- cla_reviews_in_time (28), cla_dental_in_time (29), cla_health_in_time (30),
-- cla_same_worker_12m (31), cla_count (32), cla_per_10k (33), cla_started and cla_ceased (34),
-- cla_s20_pct (35), cla_iha_in_time (36), cla_visits_up_to_date (37), cla_ceased_adopted (41) and
-- uasc_cla_count (58). Short breaks are left out throughout: int_looked_after_at_month_end leaves
-- out children on short breaks at E, and short-break periods of care are left out of starts,
-- ceases and adoptions.
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

-- the child's team at E once per child and month end, which the looked-after measures' records
-- (a dozen per child) carry, rather than a join on every record
looked_after as (
    select looked_after_at_month_end.*, allocated_team.team_id
    from {{ ref('int_looked_after_at_month_end') }} as looked_after_at_month_end
    {{ join_allocated_team('looked_after_at_month_end') }}
),

periods as {{ inlined() }} (
    select * from {{ ref('int_periods_of_care') }} where not is_short_break
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
        {{ age_at('people.date_of_birth', 'looked_after.period_end') }} as age
    from looked_after
    inner join month_ends as m on m.period_end = looked_after.period_end
    left join {{ ref('int_periods_of_care') }} as current_period on current_period.cla_id = looked_after.cla_id
    left join {{ ref('int_current_placement_at_month_end') }} as current_placement
        on current_placement.period_end = looked_after.period_end and current_placement.person_id = looked_after.person_id
    left join {{ ref('int_people') }} as people on people.person_id = looked_after.person_id
),

reviews as {{ inlined() }} (
    select * from {{ ref('int_cla_reviews') }}
),

-- cla_reviews_in_time: all reviews of a period of care due by E were held on time while E is
-- before the first due date of one that was not. One row per period of care rather than a join
-- of every review due to every month end after it (65 M rows nationally)
review_due_dates as (
    select
        cla_id,
        min(due_date) as first_due_date,
        min(case when is_held_on_time then null else due_date end) as first_due_date_not_held_on_time
    from reviews
    where due_date is not null
    group by cla_id
),

completed_checks as {{ inlined() }} (
    select * from {{ ref('int_completed_health_checks') }}
),

-- cla_dental_in_time: a completed dental check in (E - 12 months, E]
dental_in_12m as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    inner join completed_checks as checks
        on checks.person_id = d.person_id and checks.check_type = 'DENTAL'
       and checks.check_date > d.minus_12_months and checks.check_date <= d.period_end
),

-- cla_health_in_time: under-fives need a health assessment in the last 6 months, others in the last 12
health_in_time as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    inner join completed_checks as checks
        on checks.person_id = d.person_id and checks.check_type = 'HEALTH_ASSESSMENT'
       and checks.check_date > case when d.age < 5 then d.minus_6_months else d.minus_12_months end
       and checks.check_date <= d.period_end
),

-- cla_same_worker_12m: one allocation covering all of (E - 12 months, E]
same_worker as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    inner join {{ ref('int_allocations') }} as allocations
        on allocations.person_id = d.person_id
       and allocations.start_date <= d.minus_12_months
       and (allocations.end_date is null or allocations.end_date > d.period_end)
),

-- cla_s20_pct: accommodated under section 20 (V2 open at E)
on_section_20 as (
    select distinct d.period_end, d.person_id
    from looked_after_detail as d
    inner join {{ ref('int_legal_statuses') }} as legal
        on legal.person_id = d.person_id and legal.legal_status = 'V2'
       and {{ is_open_at('legal.start_date', 'legal.end_date', 'd.period_end') }}
),

-- cla_visits_up_to_date: each seen statutory visit is the latest one from its date until the next
-- one, so at most one is the latest at E (of visits on one date, all but the last hold no day)
seen_visits as (
    select
        person_id,
        visit_date,
        lead(visit_date) over (partition by person_id order by visit_date, {{ id_order('visit_id') }}) as next_visit_date
    from {{ ref('int_cla_visits') }}
    where is_seen
),

-- cla_3plus_placements_12m: distinct placements (any period of care) overlapping (E - 12 months, E]
placements_in_12m as (
    select looked_after.period_end, looked_after.person_id, count(distinct placements.placement_id) as placement_count
    from looked_after
    inner join month_ends as m on m.period_end = looked_after.period_end
    inner join {{ ref('int_placements') }} as placements
        on placements.person_id = looked_after.person_id
       and placements.start_date <= m.period_end
       and (placements.end_date is null or placements.end_date > m.minus_12_months)
    group by looked_after.period_end, looked_after.person_id
),

looked_after_facts as (
    -- cla_count: children looked after at E; uasc_cla_count: of whom UASC; cla_per_10k: per 10,000
    -- (the population is added in fct_measure_results)
    select 'cla_count' as measure_id, period_end, person_id, cla_id as record_id, is_uasc, team_id,
           1 as numerator, null as denominator
    from looked_after
    union all
    select 'uasc_cla_count', period_end, person_id, cla_id, is_uasc, team_id, 1, null
    from looked_after where is_uasc
    union all
    select 'cla_per_10k', period_end, person_id, cla_id, is_uasc, team_id, 1, null
    from looked_after

    union all
    -- cla_3plus_placements_12m: three or more placements in the last 12 months
    select 'cla_3plus_placements_12m', looked_after.period_end, looked_after.person_id, looked_after.cla_id,
           looked_after.is_uasc, looked_after.team_id, {{ flag('coalesce(placements_in_12m.placement_count, 0) >= 3') }}, 1
    from looked_after
    left join placements_in_12m
        on placements_in_12m.period_end = looked_after.period_end
       and placements_in_12m.person_id = looked_after.person_id

    union all
    -- cla_long_term_stability: under-16s in care for 2.5 years, in the same placement for 2 years (or adopted from it)
    select 'cla_long_term_stability', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag("d.placement_start_date <= d.minus_24_months or (d.placement_type in ('A3', 'A4', 'A5', 'A6') and d.previous_placement_start_date <= d.minus_24_months)") }}, 1
    from looked_after_detail as d
    where d.age < 16 and d.period_start_date <= d.minus_30_months

    union all
    -- cla_foster_in_house_or_family: foster placements with the authority's own carers or family and friends
    select 'cla_foster_in_house_or_family', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag("d.placement_type in ('U1', 'U2', 'U3') or d.provider = 'PR1'") }}, 1
    from looked_after_detail as d
    where d.placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')

    union all
    -- cla_within_20_miles: non-UASC children placed within 20 miles
    select 'cla_within_20_miles', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('d.distance_miles <= 20') }}, 1
    from looked_after_detail as d
    where not d.is_uasc and d.distance_miles is not null

    union all
    -- cla_reviews_in_time: every review of the current period of care due by E held on time
    select 'cla_reviews_in_time', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('review_due_dates.first_due_date_not_held_on_time is null or review_due_dates.first_due_date_not_held_on_time > d.period_end') }}, 1
    from looked_after_detail as d
    inner join review_due_dates
        on review_due_dates.cla_id = d.cla_id and review_due_dates.first_due_date <= d.period_end

    union all
    -- cla_dental_in_time, cla_health_in_time: in care 12 months, dental check / health assessment in time
    select 'cla_dental_in_time', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('dental_in_12m.person_id is not null') }}, 1
    from looked_after_detail as d
    left join dental_in_12m on dental_in_12m.period_end = d.period_end and dental_in_12m.person_id = d.person_id
    where d.period_start_date <= d.minus_12_months
    union all
    select 'cla_health_in_time', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('health_in_time.person_id is not null') }}, 1
    from looked_after_detail as d
    left join health_in_time on health_in_time.period_end = d.period_end and health_in_time.person_id = d.person_id
    where d.period_start_date <= d.minus_12_months

    union all
    -- cla_same_worker_12m: in care 18 months, one allocation covering the last 12 months
    select 'cla_same_worker_12m', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('same_worker.person_id is not null') }}, 1
    from looked_after_detail as d
    left join same_worker on same_worker.period_end = d.period_end and same_worker.person_id = d.person_id
    where d.period_start_date <= d.minus_18_months

    union all
    -- cla_s20_pct: accommodated under section 20 (V2)
    select 'cla_s20_pct', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag('on_section_20.person_id is not null') }}, 1
    from looked_after_detail as d
    left join on_section_20 on on_section_20.period_end = d.period_end and on_section_20.person_id = d.person_id

    union all
    -- cla_visits_up_to_date: latest seen visit within 6 weeks (placement under a year old) or 13 weeks
    select 'cla_visits_up_to_date', d.period_end, d.person_id, d.cla_id, d.is_uasc, d.team_id,
           {{ flag("latest_visit.visit_date is not null and " ~ dbt.datediff('latest_visit.visit_date', 'd.period_end', 'day') ~ " < case when d.placement_start_date is not null and " ~ dbt.datediff('d.placement_start_date', 'd.period_end', 'day') ~ " < 365 then 42 else 91 end") }}, 1
    from looked_after_detail as d
    left join seen_visits as latest_visit
        on latest_visit.person_id = d.person_id
       and {{ is_open_at('latest_visit.visit_date', 'latest_visit.next_visit_date', 'd.period_end') }}
),

-- records of events in a window before E count at the child's team at E too
person_facts as (
    -- cla_review_participation: reviews held in the year to date (child not on short breaks) with a
    -- participation code PN1-PN7; numerator PN1-PN6
    select 'cla_review_participation' as measure_id, m.period_end, reviews.person_id, reviews.review_id as record_id,
           {{ is_uasc_at('reviews.uasc_from', 'reviews.review_date') }} as is_uasc,
           {{ flag("reviews.participation <> 'PN7'") }} as numerator, 1 as denominator
    from month_ends as m
    inner join reviews
        on {{ in_period('reviews.review_date', 'YTD') }}
       and reviews.is_held
       and reviews.participation in ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
       and not reviews.is_on_short_breaks_at_review

    union all
    -- cla_iha_in_time: initial health assessments within 20 working days of coming into care
    select 'cla_iha_in_time', m.period_end, periods.person_id, periods.cla_id,
           {{ is_uasc_at('periods.uasc_from', 'periods.start_date') }},
           {{ flag("exists (select 1 from completed_checks as iha where iha.check_type = 'INITIAL_HEALTH_ASSESSMENT' and iha.person_id = periods.person_id and iha.check_date >= periods.start_date and iha.check_date < periods.twenty_first_working_day)") }}, 1
    from month_ends as m
    inner join periods
        on {{ in_period('periods.start_date', 'YTD') }}
       and periods.twentieth_working_day <= m.period_end
       and (periods.ceased_date is null or periods.ceased_date >= periods.twentieth_working_day)

    union all
    -- cla_started, cla_ceased: periods of care starting / ceasing in the month
    select 'cla_started', m.period_end, periods.person_id, periods.cla_id,
           {{ is_uasc_at('periods.uasc_from', 'periods.start_date') }}, 1, null
    from month_ends as m
    inner join periods on {{ in_period('periods.start_date', 'M') }}
    union all
    select 'cla_ceased', m.period_end, periods.person_id, periods.cla_id,
           {{ is_uasc_at('periods.uasc_from', 'periods.ceased_date') }}, 1, null
    from month_ends as m
    inner join periods on {{ in_period('periods.ceased_date', 'M') }}

    union all
    -- cla_ceased_adopted: periods of care ceasing in the year to date by adoption (E11, E12)
    select 'cla_ceased_adopted', m.period_end, periods.person_id, periods.cla_id,
           {{ is_uasc_at('periods.uasc_from', 'periods.ceased_date') }},
           {{ flag("periods.ceased_reason in ('E11', 'E12')") }}, 1
    from month_ends as m
    inner join periods on {{ in_period('periods.ceased_date', 'YTD') }}
)

{{ person_team_records('looked_after_facts') }}
union all
{{ at_allocated_team('person_facts') }}
union all
{{ measure_placeholders('children_in_care') }}
