-- The disclosure policy this build applied, and a fingerprint of the measure results it was
-- applied to: the publish step publishes the shareable tables only when the results it is about
-- to publish still have this fingerprint.
{{ config(alias='disclosure_policy') }}
select
    policy.threshold,
    policy.rounding_base,
    policy.suppress_zeros,
    fingerprint.results_fingerprint
from {{ ref('stg_pipeline__disclosure_policy') }} as policy
cross join {{ ref('measure_results_fingerprint') }} as fingerprint
