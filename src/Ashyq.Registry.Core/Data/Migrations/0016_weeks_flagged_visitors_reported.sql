-- The flagged-visitors column is optional in the weekly export. A week whose file lacked it has no
-- flagged-visitors figure at all, which is not the same as none found: the public pages say "not
-- reported" for it and compare no other week with it. Weeks loaded before this was recorded had the column.
ALTER TABLE weeks ADD COLUMN flagged_visitors_reported boolean NOT NULL DEFAULT true;
