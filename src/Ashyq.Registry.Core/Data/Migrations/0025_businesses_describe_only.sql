-- The public row of a business held its status and the newest published week listing it, so that every
-- published week moved last_listed_week for every business it listed and rewrote the whole table (a
-- million rows at national scale, each logged) even when nothing of any business had changed. Both
-- are in business_weeks already: its newest row for the BIN is that week, with the status, and the
-- primary key (bin, week_start) carries the status, so the few businesses a page shows read them from
-- one index page each. businesses now holds what describes a business (name, category, district,
-- address, date joined, first week listed), which changes only when the file says something new of it.
ALTER TABLE businesses DROP COLUMN current_status, DROP COLUMN last_listed_week;
