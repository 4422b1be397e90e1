-- Residents and journalists may follow a business, a category or a district by email, with no account.
-- An address is kept with the language it subscribed in; each thing it follows is confirmed through a
-- link sent to it (double opt-in) before anything else is sent. A confirmation token is kept as its
-- SHA-256 hash only (the link exists in its email alone); the unsubscribe token goes into every email,
-- so it is kept as it is and compared in constant time. site_url is the address the person subscribed
-- on, which the links of later emails lead back to.
CREATE TABLE followers (
    id                  bigserial PRIMARY KEY,
    email               text NOT NULL,
    language            text NOT NULL CHECK (language IN ('ru', 'kk', 'en')),
    unsubscribe_token   text NOT NULL,
    site_url            text NOT NULL,
    created_at          timestamptz NOT NULL,
    CONSTRAINT ux_followers_email UNIQUE (email)
);

CREATE TABLE follows (
    id             bigserial PRIMARY KEY,
    follower_id    bigint NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('business', 'category', 'district')),
    code           text NOT NULL,
    confirm_hash   bytea NULL,
    requested_at   timestamptz NOT NULL,
    confirmed_at   timestamptz NULL,
    CONSTRAINT ux_follows_target UNIQUE (follower_id, kind, code),
    CONSTRAINT ux_follows_confirm UNIQUE (confirm_hash)
);
CREATE INDEX ix_follows_unconfirmed ON follows (requested_at) WHERE confirmed_at IS NULL;
CREATE INDEX ix_follows_target ON follows (kind, code) WHERE confirmed_at IS NOT NULL;

-- The outbox of the change emails: a publish writes its week here in its own transaction, so a week
-- whose job was never queued (the node stopped just after the commit) is still mailed by the upkeep.
CREATE TABLE follow_mailings (
    week_start    date PRIMARY KEY,
    requested_at  timestamptz NOT NULL,
    done_at       timestamptz NULL
);

-- One change email per follower and week, at most.
CREATE TABLE follow_mail_sent (
    follower_id  bigint NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
    week_start   date NOT NULL,
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (follower_id, week_start)
);

-- Sends that failed after their attempts, for staff to see: the address is kept only as long as the
-- follower is (the row goes with an unsubscribe).
CREATE TABLE follow_mail_failures (
    id           bigserial PRIMARY KEY,
    follower_id  bigint NULL REFERENCES followers (id) ON DELETE CASCADE,
    purpose      text NOT NULL CHECK (purpose IN ('confirmation', 'change')),
    week_start   date NULL,
    failed_at    timestamptz NOT NULL,
    attempts     integer NOT NULL,
    error        text NOT NULL
);
CREATE INDEX ix_follow_mail_failures_at ON follow_mail_failures (failed_at DESC);
