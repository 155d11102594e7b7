/** How long something has been waiting, in the largest whole unit: "12 min", "3 h", "2 d". */
export function age(since: Date, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - since.getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export const dateTime = (d: Date) => d.toLocaleString("en-GB");
