-- osa store, version 3: the audit log's head (sequence number and hash) kept beside the write lock,
-- updated by a trigger on every audit entry, so a log whose newest rows were deleted no longer matches it.
-- (Row seals live in each audit entry's hashed detail; rows written before this version are
-- sealed as found by one `record.seal` entry that osa writes right after this migration.)
ALTER TABLE store_lock ADD COLUMN head_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE store_lock ADD COLUMN head_hash TEXT NOT NULL DEFAULT '';
UPDATE store_lock SET head_seq = (SELECT COALESCE(MAX(seq), 0) FROM audit),
  head_hash = COALESCE((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), '');
CREATE TRIGGER audit_head AFTER INSERT ON audit
BEGIN UPDATE store_lock SET head_seq = NEW.seq, head_hash = NEW.hash WHERE id = 1; END;
