-- A fingerprint of fct_measure_results as it stands now (a view: computed when read): its row
-- count and an order-independent hash of every row. The measure gate records it, disclosure
-- control snapshots it, and the publish step compares both with the results it publishes.
{{ config(materialized='view') }}
select
    cast(count(*) as varchar)
    || ':'
    || cast(coalesce(sum(hash(measure_id, period_end, org_unit, uasc_scope, numerator, denominator, value) % 1000000007), 0) as varchar)
        as results_fingerprint
from {{ ref('fct_measure_results') }}
