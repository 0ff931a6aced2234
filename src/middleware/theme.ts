import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv, Theme } from "../env";
import { COOKIES } from "../lib/cookies";

export const THEMES: readonly Theme[] = ["light", "dark", "system"];

/** Reads the colour-scheme preference so the server renders the right theme (no flash). */
export const theme: MiddlewareHandler<AppEnv> = async (c, next) => {
  const value = getCookie(c, COOKIES.theme.name);
  c.set("theme", THEMES.includes(value as Theme) ? (value as Theme) : "system");
  await next();
};
