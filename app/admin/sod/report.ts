import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type SodReport = inferRouterOutputs<AppRouter>["policies"]["sodReport"];
export type SodRule = SodReport["rules"][number];
export type SodConflict = SodReport["conflicts"][number];
export type SodAction = SodRule["action"];
