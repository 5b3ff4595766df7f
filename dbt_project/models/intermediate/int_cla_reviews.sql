-- Looked-after children's reviews with the person whose period of care they review. A review
-- is held on its date when the date is present and it was not cancelled; a review held while
-- the child is on short breaks is marked (cla_review_participation leaves it out).
with reviews as (
    select
        reviews.review_id,
        reviews.cla_id,
        periods.person_id,
        reviews.due_date,
        reviews.review_date,
        reviews.participation,
        (reviews.review_date is not null and not coalesce(reviews.is_cancelled, false)) as is_held,
        periods.uasc_from
    from {{ ref('stg_ssd__ssd_cla_reviews') }} as reviews
    left join {{ ref('int_periods_of_care') }} as periods on periods.cla_id = reviews.cla_id
)

select
    reviews.review_id,
    reviews.cla_id,
    reviews.person_id,
    reviews.due_date,
    reviews.review_date,
    reviews.participation,
    reviews.is_held,
    (reviews.is_held and reviews.review_date <= reviews.due_date) as is_held_on_time,
    exists(
        select 1 from {{ ref('int_short_break_spells') }} as short_breaks
        where short_breaks.person_id = reviews.person_id
          and {{ is_open_at('short_breaks.start_date', 'short_breaks.end_date', 'reviews.review_date') }}
    ) as is_on_short_breaks_at_review,
    reviews.uasc_from
from reviews
