-- What a change email said, as a digest of its lines: when a replacement corrects a week already
-- mailed, a follower is mailed again only if what the corrected week says for them differs.
ALTER TABLE follow_mail_sent ADD COLUMN digest text NULL;
