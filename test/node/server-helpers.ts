/** A browser against a running Node server: our Origin on writes, the cookies it was given; and a sign-up. */

export interface Browser {
  http(
    p: string,
    init?: { form?: Record<string, string | string[]>; body?: BodyInit; method?: string },
  ): Promise<Response>;
}

export function browser(base: string): Browser {
  const cookies = new Map<string, string>();
  return {
    async http(p, init = {}) {
      const headers = new Headers({ "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) NodeTest/1.0" });
      if (cookies.size) headers.set("Cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
      let body = init.body;
      if (init.form) {
        const f = new URLSearchParams();
        for (const [k, v] of Object.entries(init.form)) for (const item of [v].flat()) f.append(k, item);
        body = f.toString();
        headers.set("Content-Type", "application/x-www-form-urlencoded");
      }
      const method = init.method ?? (body !== undefined ? "POST" : "GET");
      if (method !== "GET") headers.set("Origin", base);
      const res = await fetch(base + p, { method, headers, body, redirect: "manual" });
      for (const line of (res.headers as Headers & { getSetCookie(): string[] }).getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair!.indexOf("=");
        if (pair!.slice(eq + 1) === "" || /max-age=0/i.test(line)) cookies.delete(pair!.slice(0, eq));
        else cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      return res;
    },
  };
}

/** Signs up a new workspace's owner; the browser keeps the session. */
export async function signUp(base: string, email: string): Promise<{ status: number; browser: Browser }> {
  const b = browser(base);
  const res = await b.http("/signup", {
    form: {
      email,
      password: "correct horse battery staple 42",
      company_name: "Node Settings Ltd",
      age_confirmed: "on",
      accept_terms: "on",
    },
  });
  await res.text();
  return { status: res.status, browser: b };
}
