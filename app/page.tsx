import { Catalog } from "@/app/catalog";
import { requireActor } from "@/app/_components/require-actor";

export default async function CatalogPage() {
  const actor = await requireActor("/");
  return <Catalog isAdmin={actor.isAdmin} />;
}
