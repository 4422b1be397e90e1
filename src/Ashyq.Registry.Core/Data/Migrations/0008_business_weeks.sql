-- A business's history is read by BIN, one published week after another; week_rows is partitioned by
-- week, so reading it by BIN would probe every week's partition. business_weeks keeps the few columns
-- of the history for published weeks only, in one table whose primary key starts with the BIN, and is
-- rewritten for the weeks concerned whenever a week is published or withdrawn (same transaction).
CREATE TABLE business_weeks (
    bin char(12) COLLATE "C" NOT NULL,
    week_start date NOT NULL,
    status text COLLATE "C" NOT NULL,
    scans integer NOT NULL,
    flagged_visitors integer NOT NULL,
    reason text,
    exclusion_source text
);

INSERT INTO business_weeks (bin, week_start, status, scans, flagged_visitors, reason, exclusion_source)
SELECT r.bin, r.week_start, r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source
FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = 'published'
ORDER BY r.bin, r.week_start DESC;

ALTER TABLE business_weeks ADD CONSTRAINT pk_business_weeks PRIMARY KEY (bin, week_start);
CREATE INDEX ix_business_weeks_week ON business_weeks (week_start);
