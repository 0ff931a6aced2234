/**
 * The single source of truth for the database, one file per domain. drizzle-kit generates `migrations/` from
 * these files. Times are Unix epoch milliseconds (integers). Ids are random, unguessable strings.
 */
export * from "./accounts";
export * from "./contacts";
export * from "./records";
export * from "./billing";
export * from "./imports";
export * from "./privacy";
export * from "./deals";
export * from "./tasks";
export * from "./reports";
export * from "./staff";
export * from "./usage";
export * from "./trash";
export * from "./lists";
export * from "./api";
export * from "./shards";
