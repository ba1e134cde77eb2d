-- A milestone whose clock a resolution or the close ended unmet is now final ("missed"), and
-- counts in a period's figures from the moment it was missed. The projection is derived from
-- the timelines: empty it here, and the open that ran this migration rebuilds it.

DELETE FROM milestone_facts;
UPDATE incidents SET next_due_at = NULL;
