-- A message's variable parts by name (the BIN, a count, the text as read), beside its code, so that the
-- staff area can say one import's messages in Russian, Kazakh or English. Messages stored before this
-- have none and are shown as they were written.
ALTER TABLE import_messages ADD COLUMN args jsonb NULL;
