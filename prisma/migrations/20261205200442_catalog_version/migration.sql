-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" TEXT NOT NULL DEFAULT (gen_random_uuid())::text,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "CatalogVersion_pkey" PRIMARY KEY ("id")
);

-- The one row. Each app process keeps the catalog's listing in memory (server/catalog/catalog-index.ts)
-- and reads this version with every search: a search never shows a listing older than the version
-- it read, because the listing is reloaded together with its version in one statement (one snapshot).
INSERT INTO "CatalogVersion" DEFAULT VALUES;

-- Bumped in the same transaction as any change to what the catalog lists, so the new version
-- becomes visible exactly when the change does. The row's lock makes concurrent catalog changes
-- (admin edits, imports: rare) wait for each other's commit; nothing else takes it.
CREATE FUNCTION catalog_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CatalogVersion" SET version = version + 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER catalog_version_app
  AFTER INSERT OR DELETE OR UPDATE OF id, slug, name, description, "ownerId" ON "App"
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
CREATE TRIGGER catalog_version_app_truncate
  AFTER TRUNCATE ON "App"
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
CREATE TRIGGER catalog_version_entitlement
  AFTER INSERT OR DELETE OR UPDATE OF id, "appId", name, kind, "riskLevel", description, requestable ON "Entitlement"
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();
CREATE TRIGGER catalog_version_entitlement_truncate
  AFTER TRUNCATE ON "Entitlement"
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_bump();

-- The listing shows each app's owner by name (or email): renaming someone who owns an app changes it.
CREATE FUNCTION catalog_version_owner_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "App" WHERE "ownerId" = NEW.id) THEN
    UPDATE "CatalogVersion" SET version = version + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER catalog_version_owner
  AFTER UPDATE OF name, email ON "User"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
  EXECUTE FUNCTION catalog_version_owner_renamed();
