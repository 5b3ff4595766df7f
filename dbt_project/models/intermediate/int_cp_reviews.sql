-- Child protection review conferences. A CP review is held when it has a date; it is on time
-- when held on or before its due date.
select
    reviews.review_id,
    reviews.cp_plan_id,
    reviews.person_id,
    reviews.due_date,
    reviews.review_date,
    coalesce(reviews.review_date is not null and reviews.review_date <= reviews.due_date, false) as is_held_on_time,
    uasc.uasc_from
from {{ ref('stg_ssd__ssd_cp_reviews') }} as reviews
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = reviews.person_id
