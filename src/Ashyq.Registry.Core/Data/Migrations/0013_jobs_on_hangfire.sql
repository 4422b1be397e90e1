-- The background jobs moved to a job store of their own schema ("hangfire", installed by the migrate
-- verb after these files). The previous scheduler's tables, which it created itself beside the
-- registry's, go; an import remembers the job that runs it, so that one with no live job can be found.
DO $do$
DECLARE t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'qrtz\_%' LOOP
        EXECUTE format('DROP TABLE %I CASCADE', t);
    END LOOP;
END
$do$;

ALTER TABLE imports ADD COLUMN job_id text;
