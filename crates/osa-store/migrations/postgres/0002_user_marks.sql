-- osa store, version 2 (PostgreSQL; the same table as the SQLite schema): per-user marks, such as
-- the last change a user saw on the change log (for "what changed since my last visit").
CREATE TABLE user_marks (
  user_name TEXT NOT NULL,
  mark TEXT NOT NULL,
  at TEXT NOT NULL,
  change_id BIGINT NOT NULL,
  PRIMARY KEY (user_name, mark)
);
