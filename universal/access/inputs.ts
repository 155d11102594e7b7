import { z } from "zod";

// What a person sends to give up access they hold (My access → Remove).

export const removeMyAccessInput = z.object({
  grantId: z.string().min(1, "Choose the access to remove."),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters.").optional(),
});
export type RemoveMyAccessInput = z.input<typeof removeMyAccessInput>;
