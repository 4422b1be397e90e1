-- A business's answer to how a published week lists it, sent through the public form of its page and
-- shown only once staff publish it. The contact address is for staff alone and is cleared a year after
-- the reply's decision (ReplyContacts); the statement is kept as sent, and shown as text.
CREATE TABLE business_replies (
    id             bigserial PRIMARY KEY,
    bin            char(12) NOT NULL,
    week_start     date NOT NULL,
    author_name    text NOT NULL,
    author_role    text NOT NULL,
    contact_email  text NULL,
    statement      text NOT NULL,
    language       text NOT NULL,
    submitted_at   timestamptz NOT NULL DEFAULT now(),
    state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'rejected')),
    decided_at     timestamptz NULL,
    decided_by     text NULL,
    reject_reason  text NULL
);
CREATE INDEX ix_business_replies_pending ON business_replies (submitted_at, id) WHERE state = 'pending';
CREATE INDEX ix_business_replies_published ON business_replies (bin, week_start) WHERE state = 'published';
CREATE INDEX ix_business_replies_decided ON business_replies (decided_at) WHERE contact_email IS NOT NULL;

-- Staff may mark a business's status as under review (after a reply, or on their own) until they close
-- the review; a business has at most one open review.
CREATE TABLE business_reviews (
    id         bigserial PRIMARY KEY,
    bin        char(12) NOT NULL,
    reply_id   bigint NULL REFERENCES business_replies (id) ON DELETE SET NULL,
    opened_at  timestamptz NOT NULL DEFAULT now(),
    opened_by  text NOT NULL,
    closed_at  timestamptz NULL,
    closed_by  text NULL
);
CREATE UNIQUE INDEX ux_business_reviews_open ON business_reviews (bin) WHERE closed_at IS NULL;
CREATE INDEX ix_business_reviews_bin ON business_reviews (bin, opened_at DESC);
