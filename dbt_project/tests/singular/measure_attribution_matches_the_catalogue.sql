-- Every measure counts its records where the catalogue says (models/measures.yml `attribution`):
-- at the team on the event (event_team) or at the child's allocated team at E (person_team).
-- The LA-only rates may count either way, but are published for the whole authority only.
-- a blocking check on the published results (dagster-dbt attaches a multi-model test by this ref)
{{ config(meta={'dagster': {'ref': {'name': 'fct_measure_results'}}}) }}
with counted as (
    select distinct measure_id, attribution
    from {{ ref('int_measure_facts') }}
    where attribution is not null
),

la_only_results_below_la as (
    select distinct results.measure_id, 'published below LA' as attribution
    from {{ ref('fct_measure_results') }} as results
    inner join {{ ref('int_measure_catalogue') }} as catalogue on catalogue.measure_id = results.measure_id
    where catalogue.attribution = 'la_only' and results.org_unit <> 'LA'
)

select counted.measure_id, counted.attribution as counted_at, catalogue.attribution as catalogue_says
from counted
inner join {{ ref('int_measure_catalogue') }} as catalogue on catalogue.measure_id = counted.measure_id
where catalogue.attribution <> 'la_only' and counted.attribution <> catalogue.attribution
union all
select measure_id, attribution, 'la_only'
from la_only_results_below_la
