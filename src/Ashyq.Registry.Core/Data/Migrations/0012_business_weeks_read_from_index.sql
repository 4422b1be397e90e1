-- A business's 52 weeks of history sat on 52 different pages of business_weeks, one per week in which
-- it was written, so every uncached business page or API answer visited 52 pages. The primary key now
-- carries the history's columns as well, and the weeks of one BIN are neighbours in it: the history
-- is read from one or two index pages. The reason, a text of up to a thousand characters, stays out
-- of the index (too long for an index entry); the few weeks that have one say so and it is fetched
-- for them alone. Reading only the index relies on the table's visibility map, so the table is
-- vacuumed soon after each published week adds its rows rather than after a fifth of the table.
ALTER TABLE business_weeks ADD COLUMN has_reason boolean GENERATED ALWAYS AS (reason IS NOT NULL) STORED;
ALTER TABLE business_weeks DROP CONSTRAINT pk_business_weeks;
ALTER TABLE business_weeks ADD CONSTRAINT pk_business_weeks PRIMARY KEY (bin, week_start)
    INCLUDE (status, scans, flagged_visitors, exclusion_source, has_reason);
ALTER TABLE business_weeks SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000);
