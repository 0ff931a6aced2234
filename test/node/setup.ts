/** Per test file on Node: what workerd has that Node lacks, and the cheap password cost (as test/setup.ts). */
import { usePasswordCostForTests } from "../../src/auth/password";
import { installWorkersGlobals } from "../../src/platform/node/globals";

// workerd's Headers.getAll("Set-Cookie"), which the tests' cookie jar reads; Node has getSetCookie().
const proto = Headers.prototype as Headers & { getAll?: (name: string) => string[] };
proto.getAll ??= function (this: Headers, name: string) {
  if (name.toLowerCase() !== "set-cookie") throw new TypeError("getAll() only supports Set-Cookie");
  return (this as Headers & { getSetCookie(): string[] }).getSetCookie();
};
installWorkersGlobals();
usePasswordCostForTests();
