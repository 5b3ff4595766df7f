-- The scorecard's "Performance summary" (seed 002): how many of the numbered indicators are
-- Green, Amber and Red, and how many improved, stayed the same or worsened against the
-- previous result and against the outturn.
select
    period_end,
    org_unit,
    count(*) as indicators,
    sum(case when rag = 'Green' then 1 else 0 end) as green,
    sum(case when rag = 'Amber' then 1 else 0 end) as amber,
    sum(case when rag = 'Red' then 1 else 0 end) as red,
    sum(case when dot_from_previous = 'improved' then 1 else 0 end) as improved_from_previous,
    sum(case when dot_from_previous = 'same' then 1 else 0 end) as same_as_previous,
    sum(case when dot_from_previous = 'worse' then 1 else 0 end) as worse_than_previous,
    sum(case when dot_from_outturn = 'improved' then 1 else 0 end) as improved_from_outturn,
    sum(case when dot_from_outturn = 'same' then 1 else 0 end) as same_as_outturn,
    sum(case when dot_from_outturn = 'worse' then 1 else 0 end) as worse_than_outturn
from {{ ref('scorecard') }}
where scorecard_no is not null
group by period_end, org_unit
