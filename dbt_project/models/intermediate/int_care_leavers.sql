-- Care leavers, at the allocated team recorded on each row. With the extension column
-- clea_status_date each row describes one birthday (17th to 21st), its status date. Without it
-- (an SSD script as published) each row is the young person's current status: one row per
-- person counts, the one with the latest contact (ties: greatest id), dated at the extract's
-- period end - so the care-leaver measures describe the extract's own month only.
with leavers as {{ inlined() }} (
    select * from {{ ref('stg_ssd__ssd_care_leavers') }}
),

status_dates_recorded as (
    select coalesce(bool_or(present), false) as recorded
    from {{ ref('stg_pipeline__extract_columns') }}
    where table_name = 'ssd_care_leavers' and column_name = 'clea_status_date'
),

ranked as (
    select
        leavers.*,
        row_number() over (
            partition by leavers.person_id
            order by leavers.latest_contact_date desc nulls last, {{ id_order('leavers.care_leaver_status_id', 'desc') }}
        ) as recency
    from leavers
)

select
    ranked.care_leaver_status_id,
    ranked.person_id,
    case when status_dates_recorded.recorded then ranked.status_date else manifest.period_end end as status_date,
    ranked.team_id,
    ranked.eligibility,
    ranked.in_touch,
    coalesce(ranked.is_accommodation_suitable, false) as is_accommodation_suitable,
    ranked.activity,
    uasc.uasc_from
from ranked
cross join status_dates_recorded
cross join {{ ref('stg_pipeline__extract_manifest') }} as manifest
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = ranked.person_id
where status_dates_recorded.recorded or ranked.recency = 1
