-- An individual entrepreneur is listed under the owner's IIN, personal data the public pages never show
-- in full; the business's permalink uses a stored random identifier instead. Rows are only ever added
-- (when a week that lists the individual is published), so an identifier never changes.
CREATE TABLE business_public_ids (
    bin          char(12) PRIMARY KEY,
    public_id    text COLLATE "C" NOT NULL,
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ux_business_public_ids_public_id UNIQUE (public_id)
);

INSERT INTO business_public_ids (bin, public_id)
SELECT b.bin, 'ie-' || substr(md5(gen_random_uuid()::text), 1, 16)
FROM (SELECT DISTINCT bin FROM business_weeks WHERE substr(bin, 5, 1) NOT IN ('4', '5', '6')) b;
