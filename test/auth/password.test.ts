import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "../../src/auth/common-passwords";
import { hashPassword, PASSWORD_PARAMS, passwordProblem, verifyPassword } from "../../src/auth/password";

describe("password hashing", () => {
  it("hashes with scrypt, a fresh salt each time, and verifies", async () => {
    // The production cost (the suite hashes its many sign-ups more cheaply: test/setup.ts).
    expect(PASSWORD_PARAMS).toEqual({ N: 16384, r: 8, p: 5 });
    const a = await hashPassword("correct horse battery staple", PASSWORD_PARAMS);
    const b = await hashPassword("correct horse battery staple", PASSWORD_PARAMS);
    expect(a).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(a, "correct horse battery stapler")).toBe(false);
  });

  it("never truncates: two long passwords differing only in the last character differ", async () => {
    const long = "k".repeat(255);
    const hash = await hashPassword(`${long}a`);
    expect(await verifyPassword(hash, `${long}a`)).toBe(true);
    expect(await verifyPassword(hash, `${long}b`)).toBe(false);
  });

  it("treats canonically equal Unicode as the same password", async () => {
    const hash = await hashPassword("caf\u00e9 au lait"); // precomposed é
    expect(await verifyPassword(hash, "cafe\u0301 au lait")).toBe(true); // e + combining accent
  });

  it("never matches a malformed or over-costly stored hash", async () => {
    for (const stored of [
      "",
      "plain",
      "scrypt$1$2$3",
      "bcrypt$16384$8$5$c2FsdA==$aGFzaA==",
      "scrypt$1048576$8$8$c2FsdA==$aGFzaA==",
    ]) {
      expect(await verifyPassword(stored, "anything")).toBe(false);
    }
  });
});

describe("password rules", () => {
  it("ship a list of thousands of common passwords", () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThanOrEqual(3000);
    expect(passwordProblem("password")).toMatch(/most common/);
    expect(passwordProblem("PassWord")).toMatch(/most common/);
    expect(passwordProblem("qwertyuiop")).toMatch(/most common/);
  });

  it("have no composition rules: length is what counts", () => {
    expect(passwordProblem("aaaaaaab")).toBeNull();
    expect(passwordProblem("seven77")).toMatch(/at least 8/);
    expect(passwordProblem("🙂🙂🙂🙂🙂🙂🙂🙂")).toBeNull(); // 8 characters, 16 UTF-16 units
    expect(passwordProblem("a".repeat(257))).toMatch(/at most 256/);
  });

  it("refuse the account's own email address", () => {
    expect(passwordProblem("Ada@Example.com", { email: "ada@example.com" })).toMatch(/email/);
  });
});
