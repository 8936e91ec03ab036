-- osa store, version 6: counters that every server process on one database shares (scale out):
-- sign-in attempts per client, per-user write budgets, repeats of a refusal. Operational state,
-- not the record: no revision, no audit entry, no seal; a row older than an hour says nothing
-- and is purged. started_ms: the window's start or the bucket's last refill (ms since 1970);
-- n: attempts in the window (or 1/0: the last take succeeded); level: a bucket's tokens;
-- prev: the count of the window before this one, when this one started.
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  started_ms BIGINT NOT NULL,
  n BIGINT NOT NULL,
  level REAL NOT NULL,
  prev BIGINT NOT NULL
);
