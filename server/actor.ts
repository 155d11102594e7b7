import "server-only";

/** The signed-in person acting, as domain functions receive it (from the session, never from input). */
export type Actor = { id: string; email: string; name: string | null; isAdmin: boolean };
