-- Each week's rows live in a partition of their own, named week_rows_yyyymmdd. The import creates the
-- partition as a plain table inside its transaction, COPYs into it while it has no index, builds the
-- indexes afterwards in one sort each, and attaches it: maintaining two B-trees row by row was most of
-- the cost of loading a national file. Replacing a draft week drops its partition instead of deleting
-- a million rows. Rows already loaded move into partitions here, one week at a time.
ALTER TABLE week_rows RENAME TO week_rows_before_partitioning;
ALTER INDEX ux_week_rows_bin_week RENAME TO ux_week_rows_before_partitioning;
ALTER INDEX ix_week_rows_list RENAME TO ix_week_rows_list_before_partitioning;

CREATE TABLE week_rows (LIKE week_rows_before_partitioning INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY LIST (week_start);
CREATE UNIQUE INDEX ux_week_rows_bin_week ON week_rows (bin, week_start DESC);
CREATE INDEX ix_week_rows_list ON week_rows (week_start, status, name);

DO $$
DECLARE
    week date;
    part text;
BEGIN
    FOR week IN SELECT DISTINCT week_start FROM week_rows_before_partitioning ORDER BY 1 LOOP
        part := 'week_rows_' || to_char(week, 'YYYYMMDD');
        EXECUTE format('CREATE TABLE %I (LIKE week_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK (week_start = %L))', part, week);
        EXECUTE format('INSERT INTO %I SELECT * FROM week_rows_before_partitioning WHERE week_start = %L', part, week);
        EXECUTE format('ALTER TABLE week_rows ATTACH PARTITION %I FOR VALUES IN (%L)', part, week);
    END LOOP;
END
$$;

DROP TABLE week_rows_before_partitioning;
