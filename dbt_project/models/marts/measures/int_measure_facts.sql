{{ config(materialized='table') }}

-- Every family's measure records, summed to measure x month end x team x UASC flag: the one
-- union that fct_measure_results rolls up to org units and scopes, and that the LA = sum of
-- parts test reads. Not published (int_): the families' records stay in the working warehouse.
with records as (
    {% for family in measure_families() -%}
    select * from {{ ref('fct_measures__' ~ family) }}
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
)

select
    measure_id,
    period_end,
    team_id,
    is_uasc,
    attribution,
    sum(numerator) as numerator,
    sum(denominator) as denominator
from records
group by measure_id, period_end, team_id, is_uasc, attribution
