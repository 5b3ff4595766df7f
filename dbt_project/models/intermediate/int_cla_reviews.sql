-- Looked-after children's reviews with the person whose period of care they review. A review
-- is held on its date when the date is present and it was not cancelled.
with periods as (
    select cla_id, person_id from {{ ref('int_periods_of_care') }}
)

select
    reviews.clar_cla_review_id as review_id,
    reviews.clar_cla_id as cla_id,
    periods.person_id,
    reviews.clar_cla_review_due_date as due_date,
    reviews.clar_cla_review_date as review_date,
    reviews.clar_cla_review_participation as participation,
    (reviews.clar_cla_review_date is not null and coalesce(reviews.clar_cla_review_cancelled, 'N') <> 'Y') as is_held,
    (reviews.clar_cla_review_date is not null and coalesce(reviews.clar_cla_review_cancelled, 'N') <> 'Y'
     and reviews.clar_cla_review_date <= reviews.clar_cla_review_due_date) as is_held_on_time
from {{ ref('stg_ssd__ssd_cla_reviews') }} as reviews
left join periods on periods.cla_id = reviews.clar_cla_id
