-- Permanence milestones of a period of care. Where a period has several rows, the one with the
-- greatest permanence id is the period's own (preference = 1).
select
    permanence.*,
    row_number() over (partition by permanence.cla_id order by {{ id_order('permanence.permanence_id', 'desc') }}) as preference,
    uasc.uasc_from
from {{ ref('stg_ssd__ssd_permanence') }} as permanence
left join {{ ref('int_person_uasc') }} as uasc on uasc.person_id = permanence.person_id
