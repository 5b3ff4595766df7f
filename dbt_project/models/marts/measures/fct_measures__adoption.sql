-- Adoption measures (measures.md 38-40), at the child's allocated team at E.
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

uasc as (
    select * from {{ ref('int_person_uasc') }}
),

decisions as (
    -- reviews of the period of care held before the agency (ADM) decision
    select
        perm.perm_table_id,
        perm.perm_person_id as person_id,
        perm.perm_adm_decision_date as decision_date,
        count(reviews.review_id) as reviews_before_decision
    from {{ ref('stg_ssd__ssd_permanence') }} as perm
    left join {{ ref('int_cla_reviews') }} as reviews
        on reviews.cla_id = perm.perm_cla_id
       and reviews.is_held
       and reviews.review_date < perm.perm_adm_decision_date
    where perm.perm_adm_decision_date is not null
    group by perm.perm_table_id, perm.perm_person_id, perm.perm_adm_decision_date
),

adoptions as (
    select * from {{ ref('int_adoptions') }}
),

person_facts as (
    -- 38. adoption agreed as the plan before the second review
    select 'adoption_plan_by_2nd_review' as measure_id, m.period_end, decisions.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'decisions.decision_date') }} as is_uasc,
           {{ flag('decisions.reviews_before_decision < 2') }} as numerator, 1 as denominator
    from month_ends as m
    join decisions on {{ in_period('decisions.decision_date', 'YTD') }}
    left join uasc on uasc.person_id = decisions.person_id

    union all
    -- 39. days from entering care to moving in with the adoptive family
    select 'adoption_days_care_to_placed', m.period_end, adoptions.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'adoptions.ceased_date') }},
           adoptions.days_care_to_moved_in, 1
    from month_ends as m
    join adoptions on {{ in_period('adoptions.ceased_date', 'YTD') }}
    left join uasc on uasc.person_id = adoptions.person_id

    union all
    -- 40. days from the court's authority to place (placement order) to the match
    select 'adoption_days_authority_to_match', m.period_end, adoptions.person_id,
           {{ is_uasc_at('uasc.uasc_from', 'adoptions.ceased_date') }},
           adoptions.days_authority_to_match, 1
    from month_ends as m
    join adoptions
        on {{ in_period('adoptions.ceased_date', 'YTD') }}
       and adoptions.days_authority_to_match is not null
    left join uasc on uasc.person_id = adoptions.person_id
),

facts as (
    {{ at_allocated_team('person_facts') }}

    union all
    {{ measure_placeholders(['adoption_plan_by_2nd_review', 'adoption_days_care_to_placed', 'adoption_days_authority_to_match']) }}
)

{{ aggregate_measure_facts('facts') }}
