-- Placements of looked-after children.
select
    clap_cla_placement_id as placement_id,
    clap_person_id as person_id,
    clap_cla_id as cla_id,
    clap_cla_placement_start_date as start_date,
    clap_cla_placement_end_date as end_date,
    clap_cla_placement_type as placement_type,
    clap_cla_placement_provider as provider,
    clap_cla_placement_distance as distance_miles
from {{ ref('stg_ssd__ssd_cla_placement') }}
