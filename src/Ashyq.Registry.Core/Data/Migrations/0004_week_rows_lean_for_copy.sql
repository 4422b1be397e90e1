-- A national file is a million rows COPY'd into week_rows, so every per-row cost there counts.
-- Foreign keys cost a trigger call per row, as much time as the COPY itself: the import pipeline is
-- the only writer of these rows, takes its category and district codes from the reference tables,
-- and deletes a week's rows itself before replacing them. The primary key (week_start, bin) and the
-- history index (bin, week_start) held the same pair twice: one unique index now does both jobs, and
-- BINs, being digits, compare bytewise.
ALTER TABLE week_rows DROP CONSTRAINT week_rows_week_start_fkey;
ALTER TABLE week_rows DROP CONSTRAINT week_rows_category_code_fkey;
ALTER TABLE week_rows DROP CONSTRAINT week_rows_district_code_fkey;
ALTER TABLE week_rows DROP CONSTRAINT week_rows_pkey;
DROP INDEX ix_week_rows_bin;
ALTER TABLE week_rows ALTER COLUMN bin TYPE char(12) COLLATE "C";
ALTER TABLE week_rows ALTER COLUMN status TYPE text COLLATE "C";
CREATE UNIQUE INDEX ux_week_rows_bin_week ON week_rows (bin, week_start DESC);
ALTER TABLE businesses ALTER COLUMN bin TYPE char(12) COLLATE "C";
