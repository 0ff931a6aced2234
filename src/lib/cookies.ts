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
  workspace: {
    name: "__Host-tenant",
    category: "essential",
    purpose:
      "Names the workspace you are working in (its id, nothing secret), so the contacts list can read your session and the list in one database round trip. Your session is still checked on every request.",
    lifetime: "As long as your session.",
  },
  device: {
    name: "__Host-device",
    category: "essential",
    purpose:
      "Recognises this browser as one you have signed in with (or reset your password in), so that someone " +
      "guessing your password elsewhere cannot lock you out. Holds your account's id, a random number and our " +
      "signature; nothing about it is stored on our side.",
    lifetime: "1 year from your last sign-in in this browser.",
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
  consent: {
    name: "__Host-consent",
    category: "essential",
    purpose:
      "Remembers whether you accepted or rejected analytics cookies: a random id (the key of our record of your choice), the choice and the date of the cookie policy you were shown.",
    lifetime: "6 months; then we ask again.",
  },
  gaClient: {
    name: "_ga",
    category: "analytics",
    purpose:
      "Google Analytics: a random id that tells visits from the same browser apart. Set only on our public pages, only after you accept analytics cookies; removed when you reject them.",
    lifetime: "2 years.",
  },
  gaSession: {
    // <id> is our GA measurement id without its "G-" prefix (src/lib/consent.ts fills it in).
    name: "_ga_<id>",
    category: "analytics",
    purpose: "Google Analytics: keeps the state of the current visit. Set and removed together with _ga.",
    lifetime: "2 years.",
  },
} as const satisfies Record<string, CookieInfo>;
