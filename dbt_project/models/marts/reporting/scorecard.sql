-- The monthly scorecard (seed 002 layout) for every reporting month and org unit: latest
-- result and RAG, numerator, denominator, target, the previous result as it was published
-- (recomputed only when nothing was published for that month) and the outturn (previous
-- 31 March), each with its direction of travel.
with results as (
    select * from {{ ref('fct_measure_results') }} where uasc_scope = 'all'
),

catalogue as (
    select * from {{ ref('int_measure_catalogue') }}
),

month_ends as (
    select * from {{ ref('int_month_ends') }}
),

published as (
    select * from {{ ref('int_published_results') }} where uasc_scope = 'all'
),

joined as (
    select
        results.period_end,
        results.org_unit,
        catalogue.section_order,
        catalogue.section_name as section,
        catalogue.scorecard_no,
        catalogue.measure_order,
        results.measure_id,
        catalogue.measure_name as indicator,
        catalogue.polarity,
        catalogue.period_type as data_period,
        catalogue.unit,
        results.value as latest_result,
        results.numerator,
        results.denominator,
        catalogue.target,
        catalogue.red_threshold,
        catalogue.green_band,
        catalogue.red_band,
        m.previous_period_end,
        case when published.measure_id is not null then published.value else previous.value end as previous_result,
        case when published.measure_id is not null then 'published'
             when previous.measure_id is not null then 'recomputed' end as previous_result_source,
        {{ add_days('m.financial_year_start', -1) }} as outturn_period_end,
        outturn.value as outturn_result,
        results.unavailable_reason
    from results
    inner join catalogue on catalogue.measure_id = results.measure_id
    inner join month_ends as m on m.period_end = results.period_end
    left join published
        on published.measure_id = results.measure_id
       and published.period_end = m.previous_period_end
       and published.org_unit = results.org_unit
    left join results as previous
        on previous.measure_id = results.measure_id
       and previous.period_end = m.previous_period_end
       and previous.org_unit = results.org_unit
    left join results as outturn
        on outturn.measure_id = results.measure_id
       and outturn.period_end = {{ add_days('m.financial_year_start', -1) }}
       and outturn.org_unit = results.org_unit
)

select
    period_end,
    org_unit,
    section_order,
    section,
    scorecard_no,
    measure_order,
    measure_id,
    indicator,
    polarity,
    data_period,
    unit,
    latest_result,
    {{ rag('latest_result', 'polarity', 'target', 'red_threshold', 'green_band', 'red_band') }} as rag,
    numerator,
    denominator,
    target,
    previous_period_end,
    previous_result,
    previous_result_source,
    {{ direction_of_travel('latest_result', 'previous_result', 'polarity', 'target') }} as dot_from_previous,
    outturn_period_end,
    outturn_result,
    {{ direction_of_travel('latest_result', 'outturn_result', 'polarity', 'target') }} as dot_from_outturn,
    unavailable_reason
from joined
