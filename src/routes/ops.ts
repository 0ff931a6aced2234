/**
 * Operator endpoints. A secret bearer token (OPS_TOKEN), compared in constant time; without it, or
 * when it is not configured, everything here answers 401. Nothing here lists tenant records.
 */
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { listFailedMail } from "../services/outbox";

export const opsRoutes = new Hono<AppEnv>();

opsRoutes.use("*", async (c, next) => {
  const expected = c.env.OPS_TOKEN;
  const given = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  const enc = new TextEncoder();
  const ok = Boolean(expected) && expected!.length >= 32 && given.length === expected!.length && constantTimeEqual(enc.encode(given), enc.encode(expected!));
  if (!ok) {
    c.header("WWW-Authenticate", 'Bearer realm="ops"');
    return c.json({ error: "unauthorized" }, 401);
  }
  c.header("Cache-Control", "no-store");
  await next();
});

/** Mail the mailer gave up on: who, what kind, how many attempts, the last error. */
opsRoutes.get("/mail/failed", async (c) => c.json({ failed: await listFailedMail(c.get("db")) }));
