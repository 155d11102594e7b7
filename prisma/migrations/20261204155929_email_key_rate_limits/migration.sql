-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailKey" TEXT NOT NULL DEFAULT '';

-- Every lookup by address compares "emailKey" exactly; the database keeps it equal to the
-- address trimmed and with ASCII letters lower-cased (COLLATE "C": the same on every server
-- locale, and the same as emailKey() in server/people/email.ts), whichever code path writes the row.
CREATE FUNCTION user_email_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."emailKey" := lower(btrim(NEW.email) COLLATE "C");
  RETURN NEW;
END;
$$;

CREATE TRIGGER user_email_key
  BEFORE INSERT OR UPDATE OF email, "emailKey" ON "User"
  FOR EACH ROW EXECUTE FUNCTION user_email_key();

UPDATE "User" SET "emailKey" = lower(btrim(email) COLLATE "C");

-- CreateIndex
CREATE UNIQUE INDEX "User_emailKey_key" ON "User"("emailKey");

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
