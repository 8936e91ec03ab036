-- osa store, version 4 (SQLite): per-user feed keys, so a feed
-- reader can fetch a user's Atom feeds with the key in the URL. Only the SHA-256 of a key is kept;
-- a user has at most one live key (a new one revokes the old).
CREATE TABLE feed_keys (
  id BIGINT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX feed_keys_user ON feed_keys (user_id);
