-- A draft week can be discarded: its rows go, its import stays with its stored file, marked discarded,
-- so that the same file may be loaded for the week again (a duplicate is only of a queued, running or
-- loaded import).
ALTER TABLE imports DROP CONSTRAINT imports_state_check;
ALTER TABLE imports ADD CONSTRAINT imports_state_check
    CHECK (state IN ('queued', 'running', 'loaded', 'failed', 'duplicate', 'discarded'));
