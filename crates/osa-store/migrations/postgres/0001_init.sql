-- osa store, version 1 (PostgreSQL; the same tables as the SQLite schema). Every write transaction first bumps store_lock, which takes the
-- database's write lock at once, so writers are serialized and audit sequence numbers have no gaps.
CREATE TABLE store_lock (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
INSERT INTO store_lock (id, n) VALUES (1, 0);

CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'reviewer', 'admin')),
  password_hash TEXT,
  disabled BIGINT NOT NULL DEFAULT 0,
  stamp TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  stamp TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE api_tokens (
  id BIGINT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'reviewer', 'admin')),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE signin_links (
  hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  expires_at TEXT NOT NULL,
  used BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE revisions (
  id BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  author TEXT NOT NULL,
  note TEXT NOT NULL CHECK (note <> ''),
  reviewer TEXT,
  proposal_id BIGINT,
  CHECK (reviewer IS NULL OR reviewer <> author)
);

CREATE TABLE documents (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  rev_from BIGINT NOT NULL REFERENCES revisions (id),
  rev_to BIGINT REFERENCES revisions (id),
  body TEXT,
  PRIMARY KEY (kind, key, rev_from)
);
CREATE UNIQUE INDEX documents_current ON documents (kind, key) WHERE rev_to IS NULL;

CREATE TABLE proposals (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  subject TEXT NOT NULL,
  base_rev BIGINT NOT NULL,
  body TEXT NOT NULL,
  change TEXT NOT NULL,
  note TEXT NOT NULL CHECK (note <> ''),
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
  reviewer TEXT,
  review_comment TEXT,
  reviewed_at TEXT,
  revision_id BIGINT REFERENCES revisions (id),
  CHECK (reviewer IS NULL OR reviewer <> author)
);
CREATE INDEX proposals_status ON proposals (status, kind, key);

CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE FUNCTION osa_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
FOR EACH ROW EXECUTE FUNCTION osa_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
FOR EACH STATEMENT EXECUTE FUNCTION osa_audit_append_only();

CREATE TABLE changes (
  id BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  revision_id BIGINT NOT NULL REFERENCES revisions (id),
  subject TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX changes_subject ON changes (subject);
