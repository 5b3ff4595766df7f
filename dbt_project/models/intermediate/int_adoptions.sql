-- Children adopted: periods of care (not short breaks) that ceased with reason E11 or E12,
-- with their permanence row and the days from entering care to moving in with the adoptive
-- family (adoption_days_care_to_placed) and from placement order to match
-- (adoption_days_authority_to_match).
with adopted as {{ inlined() }} (
    select * from {{ ref('int_periods_of_care') }}
    where not is_short_break and ceased_reason in ('E11', 'E12')
),

joined as (
    select
        adopted.cla_id,
        adopted.person_id,
        adopted.start_date,
        adopted.ceased_date,
        case when coalesce(permanence.is_adopted_by_carer, false) and permanence.placed_with_foster_carer_date is not null
             then permanence.placed_with_foster_carer_date
             else permanence.placed_for_adoption_date end as moved_in_date,
        permanence.placement_order_date,
        permanence.matched_date,
        adopted.uasc_from
    from adopted
    inner join {{ ref('int_permanence') }} as permanence
        on permanence.cla_id = adopted.cla_id and permanence.preference = 1
)

select
    cla_id,
    person_id,
    start_date,
    ceased_date,
    moved_in_date,
    {{ dbt.datediff('start_date', 'moved_in_date', 'day') }} as days_care_to_moved_in,
    case when placement_order_date is not null and matched_date is not null
         then greatest({{ dbt.datediff('placement_order_date', 'matched_date', 'day') }}, 0) end as days_authority_to_match,
    uasc_from
from joined
where moved_in_date is not null
