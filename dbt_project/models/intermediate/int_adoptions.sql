-- Children adopted: periods of care (not short breaks) that ceased with reason E11 or E12,
-- with their permanence row (the greatest perm_table_id of the period) and the days from
-- entering care to moving in with the adoptive family, and from placement order to match.
with adopted as (
    select * from {{ ref('int_periods_of_care') }}
    where not is_short_break and ceased_reason in ('E11', 'E12')
),

permanence as (
    select
        perm.*,
        row_number() over (partition by perm_cla_id order by {{ id_order('perm_table_id', 'desc') }}) as preference
    from {{ ref('stg_ssd__ssd_permanence') }} as perm
),

joined as (
    select
        adopted.cla_id,
        adopted.person_id,
        adopted.start_date,
        adopted.ceased_date,
        case when permanence.perm_adopted_by_carer_flag = 'Y' and permanence.perm_placed_foster_carer_date is not null
             then permanence.perm_placed_foster_carer_date
             else permanence.perm_placed_for_adoption_date end as moved_in_date,
        permanence.perm_placement_order_date as placement_order_date,
        permanence.perm_matched_date as matched_date
    from adopted
    join permanence on permanence.perm_cla_id = adopted.cla_id and permanence.preference = 1
)

select
    cla_id,
    person_id,
    start_date,
    ceased_date,
    moved_in_date,
    {{ dbt.datediff('start_date', 'moved_in_date', 'day') }} as days_care_to_moved_in,
    case when placement_order_date is not null and matched_date is not null
         then greatest({{ dbt.datediff('placement_order_date', 'matched_date', 'day') }}, 0) end as days_authority_to_match
from joined
where moved_in_date is not null
