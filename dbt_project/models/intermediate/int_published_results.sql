-- What earlier publications reported for their own month: the latest publication of each
-- month, org unit and scope, for the scorecard's "previous result as published".
select
    measure_id,
    period_end,
    org_unit,
    uasc_scope,
    value
from (
    select
        history.*,
        row_number() over (
            partition by history.measure_id, history.period_end, history.org_unit, history.uasc_scope
            order by history.published_at desc
        ) as recency
    from {{ ref('stg_pipeline__publication_history') }} as history
) as ranked
where recency = 1
