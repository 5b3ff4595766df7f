-- "Scorecard - Impact of UASC" (seed 002): each measure published with and without UASC,
-- side by side, with the variance when UASC are excluded, for the authority, areas and teams.
with results as (
    select * from {{ ref('fct_measure_results') }}
),

catalogue as (
    select * from {{ ref('int_measure_catalogue') }} where uasc_split
)

select
    including.period_end,
    including.org_unit,
    org_units.org_unit_level,
    catalogue.section_order,
    catalogue.measure_order,
    including.measure_id,
    catalogue.measure_name as indicator,
    catalogue.polarity,
    catalogue.period_type as data_period,
    catalogue.target,
    including.value as including_uasc_result,
    {{ rag('including.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as including_uasc_rag,
    including.numerator as including_uasc_numerator,
    including.denominator as including_uasc_denominator,
    excluding.value as excluding_uasc_result,
    {{ rag('excluding.value', 'catalogue.polarity', 'catalogue.target', 'catalogue.red_threshold', 'catalogue.green_band', 'catalogue.red_band') }} as excluding_uasc_rag,
    excluding.numerator as excluding_uasc_numerator,
    excluding.denominator as excluding_uasc_denominator,
    excluding.value - including.value as variance_excluding_uasc
from results as including
inner join catalogue on catalogue.measure_id = including.measure_id
inner join results as excluding
    on excluding.measure_id = including.measure_id
   and excluding.period_end = including.period_end
   and excluding.org_unit = including.org_unit
   and excluding.uasc_scope = 'excl_uasc'
inner join {{ ref('int_org_unit_names') }} as org_units on org_units.org_unit = including.org_unit
where including.uasc_scope = 'all'
