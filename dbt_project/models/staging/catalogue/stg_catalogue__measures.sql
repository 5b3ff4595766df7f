-- The measure catalogue (models/measures.yml) as loaded by the pipeline.
select
    measure_id,
    spec_no,
    scorecard_no,
    measure_name,
    section_id,
    section_name,
    family_id,
    section_order,
    measure_order,
    polarity,
    period_type,
    unit,
    target,
    red_threshold,
    green_band,
    red_band,
    uasc_split,
    attribution,
    seed_ref,
    definition,
    core_monitoring
from {{ source('raw', 'measure_catalogue') }}
