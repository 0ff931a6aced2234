/**
 * Every cookie the app sets, in one list: the code takes names and max-ages from here, and /cookies
 * renders it, so the published list cannot drift from what the code does.
 */
export interface CookieInfo {
  name: string;
  category: "essential" | "preference" | "analytics";
  purpose: string;
  /** Max-Age the app sets, in seconds; absent for cookies whose end is not a fixed age (the sign-in session's, the browser's). */
  maxAge?: number;
  /** How long it lasts, as published. With `maxAge`, the published text starts from it (cookieLifetime()). */
  lifetime: string;
}

const DAY_S = 24 * 60 * 60;

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
    maxAge: 30 * DAY_S,
    lifetime: "removed when you log out.",
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
  staff: {
    name: "__Host-staff",
    category: "essential",
    purpose:
      "Keeps a CustomerTrackr staff member signed in to the staff console (never set for customers). Holds a random token; we store only a hash of its secret part.",
    lifetime: "8 hours at most, and 30 minutes without activity.",
  },
  staffDevice: {
    name: "__Host-staff-device",
    category: "essential",
    purpose:
      "Recognises this browser as one a CustomerTrackr staff member signed in to the staff console with, so that " +
      "someone guessing at their sign-in elsewhere cannot lock them out (never set for customers). Holds the staff " +
      "member's id, a random number and our signature.",
    lifetime: "1 year from their last sign-in in this browser.",
  },
  bookmark: {
    name: "__Host-d1b",
    category: "essential",
    purpose: "Lets the database replica nearest to you show your own latest changes. Holds no personal data.",
    lifetime: "Until you close your browser.",
  },
  recordsBookmark: {
    name: "__Host-d1r",
    category: "essential",
    purpose:
      "The same for the database holding your workspace's records, when it is not the main one: names that database and the point your latest change reached. Holds no personal data.",
    lifetime: "Until you close your browser.",
  },
  theme: {
    name: "theme",
    category: "preference",
    purpose: "Remembers the colour scheme you picked (light, dark or system). Set only once you pick one.",
    maxAge: 365 * DAY_S,
    lifetime: "",
  },
  consent: {
    name: "__Host-consent",
    category: "essential",
    purpose:
      "Remembers whether you accepted or rejected analytics cookies: a random id (the key of our record of your choice), the choice and the date of the cookie policy you were shown.",
    maxAge: 180 * DAY_S,
    lifetime: "then we ask again.",
  },
  gaClient: {
    name: "_ga",
    category: "analytics",
    purpose:
      "Google Analytics: a random id that tells visits from the same browser apart. Set only on our public pages, only after you accept analytics cookies; removed when you reject them.",
    lifetime: "2 years.",
  },
  gaSession: {
    // <id> is our GA measurement id without its "G-" prefix (src/lib/analytics-consent.ts fills it in).
    name: "_ga_<id>",
    category: "analytics",
    purpose: "Google Analytics: keeps the state of the current visit. Set and removed together with _ga.",
    lifetime: "2 years.",
  },
} as const satisfies Record<string, CookieInfo>;

/** "30 days", "6 months", "1 year": a max-age as people say it. */
function ageInWords(seconds: number): string {
  const days = Math.round(seconds / DAY_S);
  if (days % 365 === 0) return days === 365 ? "1 year" : `${days / 365} years`;
  if (days % 30 === 0 && days >= 60) return `${days / 30} months`;
  return days === 1 ? "1 day" : `${days} days`;
}

/** The lifetime as /cookies publishes it: the max-age the code sets, then what else ends it. */
export function cookieLifetime(info: CookieInfo): string {
  if (info.maxAge === undefined) return info.lifetime;
  return info.lifetime ? `${ageInWords(info.maxAge)}; ${info.lifetime}` : `${ageInWords(info.maxAge)}.`;
}
