import type { Choice } from "@/app/_components/ui/radio";

/** What happens to an account the portal created when access is removed, as the app forms offer it. */
export const DEPROVISION_CHOICES: Choice<"SUSPEND" | "DELETE">[] = [
  { value: "SUSPEND", label: "Suspended" },
  { value: "DELETE", label: "Deleted" },
];
