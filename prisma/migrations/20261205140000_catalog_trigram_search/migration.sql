-- Catalog search matches words anywhere in app and entitlement names and descriptions (ILIKE '%…%').
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "App_name_trgm_idx" ON "App" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "App_description_trgm_idx" ON "App" USING GIN ("description" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Entitlement_name_trgm_idx" ON "Entitlement" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Entitlement_description_trgm_idx" ON "Entitlement" USING GIN ("description" gin_trgm_ops);
