-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "appendedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "chainSeq" BIGINT,
ADD COLUMN     "contentHash" TEXT,
ALTER COLUMN "hash" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chainSeq_key" ON "AuditEvent"("chainSeq");

-- Rows chained before the sealer keep their seq as their chain position (so checkpoints signed
-- before this migration still name the right rows) and keep their hash, which covers their fields
-- directly (contentHash stays null: verify recomputes those with the old formula).
ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete;
UPDATE "AuditEvent" SET "chainSeq" = "seq", "appendedAt" = "at";
ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_or_delete;

-- Still append-only, with one exception: sealing. An unsealed row (no chainSeq) may be given its
-- chain position, prevHash and hash once, and nothing else about it may change. A sealed row, like
-- every row before, can be neither changed nor removed.
CREATE FUNCTION audit_event_append_only_but_sealing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."chainSeq" IS NULL AND NEW."chainSeq" IS NOT NULL AND NEW.hash IS NOT NULL
     AND (to_jsonb(NEW) - 'chainSeq' - 'prevHash' - 'hash') = (to_jsonb(OLD) - 'chainSeq' - 'prevHash' - 'hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only: % on "AuditEvent" is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER audit_event_no_update_or_delete ON "AuditEvent";
CREATE TRIGGER audit_event_no_update_or_delete
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only_but_sealing();

-- The sealer: chains every committed, unsealed row after the last sealed one. Why this is commit
-- order and never needs to go back: it runs under its own advisory lock (one sealer at a time, held
-- only for this short transaction, never by writers), and in READ COMMITTED each statement sees
-- exactly the rows whose transactions committed before it began. A row whose transaction is still
-- open is invisible, so it is not skipped over but simply left for a later pass, where it gets a
-- position after everything sealed now: positions follow the order rows became visible, and a
-- sealed position never gets a new row in front of it. (Rolled-back rows never become visible.)
-- Rows that became visible together are chained in insertion order (seq).
-- SECURITY DEFINER: the app's role may only INSERT into the trail (prisma/tools/app-role.ts), and
-- this function is the one way it can seal; the trigger above still checks what it writes.
CREATE FUNCTION audit_seal(max_rows integer DEFAULT 5000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  prev text;
  r record;
  n integer := 0;
BEGIN
  -- A snapshot taken before the lock (REPEATABLE READ or SERIALIZABLE) could miss the previous pass.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'audit_seal() must run in a READ COMMITTED transaction';
  END IF;
  PERFORM pg_advisory_xact_lock(4242002);
  SELECT "chainSeq", hash INTO last_seq, last_hash FROM "AuditEvent"
    WHERE "chainSeq" IS NOT NULL ORDER BY "chainSeq" DESC LIMIT 1;
  FOR r IN SELECT id, "contentHash" FROM "AuditEvent" WHERE "chainSeq" IS NULL ORDER BY seq LIMIT max_rows LOOP
    IF r."contentHash" IS NULL THEN
      RAISE EXCEPTION 'audit row % has no content hash and cannot be sealed', r.id;
    END IF;
    prev := last_hash;
    last_seq := coalesce(last_seq, 0) + 1;
    last_hash := encode(sha256(convert_to(coalesce(prev, '') || r."contentHash", 'UTF8')), 'hex');
    UPDATE "AuditEvent" SET "chainSeq" = last_seq, "prevHash" = prev, hash = last_hash WHERE id = r.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END;
$$;
