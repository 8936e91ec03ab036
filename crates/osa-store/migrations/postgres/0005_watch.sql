-- osa store, version 5 (same on SQLite and PostgreSQL): the record's own changes in the change log
-- (who made them, the page they link to, the subjects a watchlist may follow), each user's inbox
-- of notifications, and how each user wants them mailed. Every row's content is stable once
-- written (mailed_at and read_at aside), so a digest of it can be taken later.
ALTER TABLE changes ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN topics TEXT NOT NULL DEFAULT '';

CREATE TABLE notifications (
  id BIGINT PRIMARY KEY,
  user_name TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mention', 'review_request', 'decision', 'watchlist')),
  actor TEXT NOT NULL,
  text TEXT NOT NULL,
  link TEXT NOT NULL,
  change_id BIGINT,
  read_at TEXT,
  mailed_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_name, id);
CREATE INDEX notifications_unread ON notifications (user_name) WHERE read_at IS NULL;
CREATE INDEX notifications_unmailed ON notifications (user_name, id) WHERE mailed_at IS NULL;

CREATE TABLE mail_prefs (
  user_name TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  delivery TEXT NOT NULL CHECK (delivery IN ('off', 'immediate', 'daily')),
  last_digest TEXT
);
