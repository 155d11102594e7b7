import { UnavailableNotice } from "@/app/unavailable/unavailable-notice";

// /unavailable: the same notice as a page, for a reverse proxy to show while the portal is not ready.
export const metadata = { title: "Briefly unavailable · Access Portal" };

export default function UnavailablePage() {
  return <UnavailableNotice />;
}
