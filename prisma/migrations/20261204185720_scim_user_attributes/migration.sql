-- AlterTable
ALTER TABLE "User" ADD COLUMN     "familyName" TEXT,
ADD COLUMN     "givenName" TEXT,
ADD COLUMN     "scimDeletedAt" TIMESTAMP(3),
ADD COLUMN     "scimEmail" TEXT,
ADD COLUMN     "scimUserName" TEXT,
ADD COLUMN     "scimUserNameKey" TEXT;

-- SCIM's userName is unique and compared case-insensitively (RFC 7643: caseExact false), but stored
-- as sent. Like "emailKey", the database keeps the compared form itself: trimmed, ASCII letters
-- lower-cased (COLLATE "C", the same as emailKey() in server/people/email.ts), whichever code path
-- writes the row. No userName (people no IdP pushed) stays NULL, which the unique index allows.
CREATE FUNCTION user_scim_user_name_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."scimUserNameKey" := lower(btrim(NEW."scimUserName") COLLATE "C");
  RETURN NEW;
END;
$$;

CREATE TRIGGER user_scim_user_name_key
  BEFORE INSERT OR UPDATE OF "scimUserName", "scimUserNameKey" ON "User"
  FOR EACH ROW EXECUTE FUNCTION user_scim_user_name_key();

-- CreateIndex
CREATE UNIQUE INDEX "User_scimUserNameKey_key" ON "User"("scimUserNameKey");
