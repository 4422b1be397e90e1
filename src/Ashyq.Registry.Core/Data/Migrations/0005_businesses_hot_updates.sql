-- Publishing a week rewrites the public row of every business it lists (its status and last listed
-- week change). With no index on the columns that change and room left on each page, those updates
-- stay heap-only and the name search index is not touched for a business whose name did not change.
DROP INDEX ix_businesses_last_listed;
ALTER TABLE businesses SET (fillfactor = 70);
