-- A published week may be replaced by another file. The new file is loaded beside the published
-- version, into a table of the week's rows that is not yet a partition of week_rows (its name is the
-- one a load gives its partition, week_rows_yyyymmdd_{import}); the week stays published from the old
-- version until staff publish the new one, which swaps the tables in one transaction.
CREATE TABLE week_replacements (
    week_start                 date PRIMARY KEY REFERENCES weeks (week_start) ON DELETE CASCADE,
    import_id                  bigint NOT NULL REFERENCES imports (id),
    source_sha256              char(64) NOT NULL,
    loaded_at                  timestamptz NOT NULL,
    flagged_visitors_reported  boolean NOT NULL
);

-- Every published version that a replacement took the place of: which file it was (still stored and
-- downloadable by staff), who replaced it, why, and the week's figures before and after.
CREATE TABLE week_versions (
    id                   bigserial PRIMARY KEY,
    week_start           date NOT NULL,
    import_id            bigint NOT NULL REFERENCES imports (id),
    replaced_by_import   bigint NOT NULL REFERENCES imports (id),
    replaced_at          timestamptz NOT NULL,
    replaced_by          text NOT NULL,
    reason               text NOT NULL,
    participants_before  integer NOT NULL,
    leaders_before       integer NOT NULL,
    outsiders_before     integer NOT NULL,
    excluded_before      integer NOT NULL,
    participants_after   integer NOT NULL,
    leaders_after        integer NOT NULL,
    outsiders_after      integer NOT NULL,
    excluded_after       integer NOT NULL
);
CREATE INDEX ix_week_versions_week ON week_versions (week_start, replaced_at DESC);
CREATE INDEX ix_week_versions_replaced_at ON week_versions (replaced_at DESC);

-- The import of a replaced version keeps its file; it is no longer what the week holds, so the same
-- file may be loaded for the week again (a duplicate is only of a queued, running or loaded import).
ALTER TABLE imports DROP CONSTRAINT imports_state_check;
ALTER TABLE imports ADD CONSTRAINT imports_state_check
    CHECK (state IN ('queued', 'running', 'loaded', 'failed', 'duplicate', 'discarded', 'replaced'));
