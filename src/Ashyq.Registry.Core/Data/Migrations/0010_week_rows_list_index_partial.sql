-- The list index served the leaders, outsiders and excluded lists, yet held every row of a week:
-- participants, most of any file, are listed by a sort of their own (their list mixes statuses) and
-- never read it. Building it by name for a million rows was the longest sort of a load. It now holds
-- the rows of those three lists only, in the order they are shown (name, then BIN). The week is the
-- partition, so it is no longer a column of the key; it is carried along so that counting a list
-- (which names the week) still reads the index alone.
DROP INDEX ix_week_rows_list;
CREATE INDEX ix_week_rows_listed ON week_rows (status, name, bin) INCLUDE (week_start) WHERE status <> 'participant';
