-- The date from which a person counts as an unaccompanied asylum-seeking child: their earliest
-- UASC immigration status start ("ever UASC up to d", which keeps former UASC care leavers in).
-- The only home of the UASC rule; intermediate models carry uasc_from to every record a
-- UASC-split measure counts, and macros/uasc.sql compares it with the record's date.
select
    person_id,
    min(start_date) as uasc_from
from {{ ref('stg_ssd__ssd_immigration_status') }}
where immigration_status = 'UASC'
  and start_date is not null
group by person_id
