-- Adoption measures, about each child at their allocated team at E:
-- adoption_plan_by_2nd_review (measures.md 38), adoption_days_care_to_placed (39),
-- adoption_days_authority_to_match (40).
with month_ends as {{ inlined() }} (
    select * from {{ ref('int_month_ends') }}
),

-- adoption_plan_by_2nd_review: reviews of the period of care held before the agency (ADM) decision
decisions as (
    select
        permanence.permanence_id,
        permanence.person_id,
        permanence.adm_decision_date as decision_date,
        permanence.uasc_from,
        count(reviews.review_id) as reviews_before_decision
    from {{ ref('int_permanence') }} as permanence
    left join {{ ref('int_cla_reviews') }} as reviews
        on reviews.cla_id = permanence.cla_id
       and reviews.is_held
       and reviews.review_date < permanence.adm_decision_date
    where permanence.adm_decision_date is not null
    group by permanence.permanence_id, permanence.person_id, permanence.adm_decision_date, permanence.uasc_from
),

adoptions as {{ inlined() }} (
    select * from {{ ref('int_adoptions') }}
),

person_facts as (
    -- adoption_plan_by_2nd_review: adoption agreed as the plan before the second review
    select 'adoption_plan_by_2nd_review' as measure_id, m.period_end, decisions.person_id,
           decisions.permanence_id as record_id,
           {{ is_uasc_at('decisions.uasc_from', 'decisions.decision_date') }} as is_uasc,
           {{ flag('decisions.reviews_before_decision < 2') }} as numerator, 1 as denominator
    from month_ends as m
    inner join decisions on {{ in_period('decisions.decision_date', 'YTD') }}

    union all
    -- adoption_days_care_to_placed: days from entering care to moving in with the adoptive family
    select 'adoption_days_care_to_placed', m.period_end, adoptions.person_id, adoptions.cla_id,
           {{ is_uasc_at('adoptions.uasc_from', 'adoptions.ceased_date') }},
           adoptions.days_care_to_moved_in, 1
    from month_ends as m
    inner join adoptions on {{ in_period('adoptions.ceased_date', 'YTD') }}

    union all
    -- adoption_days_authority_to_match: days from the court's authority to place (placement order) to the match
    select 'adoption_days_authority_to_match', m.period_end, adoptions.person_id, adoptions.cla_id,
           {{ is_uasc_at('adoptions.uasc_from', 'adoptions.ceased_date') }},
           adoptions.days_authority_to_match, 1
    from month_ends as m
    inner join adoptions
        on {{ in_period('adoptions.ceased_date', 'YTD') }}
       and adoptions.days_authority_to_match is not null
)

{{ at_allocated_team('person_facts') }}
union all
{{ measure_placeholders('adoption') }}
