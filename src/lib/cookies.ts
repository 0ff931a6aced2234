/**
 * Every cookie the app sets, in one list: the code takes names from here, and /cookies renders it,
 * so the published list cannot drift from what the code does.
 */
export interface CookieInfo {
  name: string;
  category: "essential" | "preference" | "analytics";
  purpose: string;
  lifetime: string;
}

export const COOKIES = {
  session: {
    name: "__Host-session",
    category: "essential",
    purpose: "Keeps you signed in. Holds a random token; we store only a hash of its secret part.",
    lifetime: "Until you log out; at most 7 days without activity and 30 days in all.",
  },
  bookmark: {
    name: "__Host-d1b",
    category: "essential",
    purpose: "Lets the database replica nearest to you show your own latest changes. Holds no personal data.",
    lifetime: "Until you close your browser.",
  },
  theme: {
    name: "theme",
    category: "preference",
    purpose: "Remembers the colour scheme you picked (light, dark or system). Set only once you pick one.",
    lifetime: "1 year.",
  },
} as const satisfies Record<string, CookieInfo>;
