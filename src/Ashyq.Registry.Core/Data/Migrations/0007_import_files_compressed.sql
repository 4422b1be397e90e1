-- An upload is stored gzip-compressed by the application (a national CSV shrinks about five-fold),
-- so the server writes a fifth of the bytes and does not try to compress them again. Files stored
-- before this migration stay as they are, marked 'identity'.
ALTER TABLE import_files
    ADD COLUMN content_encoding text NOT NULL DEFAULT 'identity'
        CONSTRAINT ck_import_files_content_encoding CHECK (content_encoding IN ('identity', 'gzip'));
ALTER TABLE import_files ALTER COLUMN content SET STORAGE EXTERNAL;
