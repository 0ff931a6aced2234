/**
 * A seeded random mix of what users do through the app's forms, for the report aggregates' test: every
 * operation is a real request (no direct writes), chosen by weight among those that make sense right now.
 */
import { GOOD_PASSWORD, send } from "../helpers/http";
import { post } from "../contacts/contact-helpers";
import { seededRandom } from "./aggregate-helpers";
import { type Actor, answered, type Hooks, type Random, rows, stagesOf, type Workspace } from "./mix-common";
import { DEAL_OPERATIONS } from "./mix-deals";
import { RECORD_OPERATIONS } from "./mix-records";

export type { Actor, Workspace };

const OPERATIONS = { ...DEAL_OPERATIONS, ...RECORD_OPERATIONS };

/** Removes a stage that holds deals, moving them to another stage of its pipeline. */
async function removeStageWithDeals(r: Random, ws: Workspace): Promise<string> {
  const stages = await stagesOf(ws);
  const used = await rows("SELECT DISTINCT stage_id FROM deals WHERE tenant_id = ?", ws.tenantId);
  const candidates = stages.filter(
    (s) =>
      used.some((u) => u.stage_id === s.id) && stages.some((o) => o.pipeline_id === s.pipeline_id && o.id !== s.id),
  );
  const stage = r.pick(candidates);
  if (!stage) return "no stage with deals to remove";
  const target = r.pick(stages.filter((o) => o.pipeline_id === stage.pipeline_id && o.id !== stage.id))!;
  const res = await post(`/app/settings/pipelines/stages/${stage.id}/delete`, ws.owner.cookie, {
    target_stage_id: String(target.id),
  });
  return answered(res, `removed stage ${stage.id}, its deals moved to ${target.id}`, [303]);
}

const ADMIN_ONLY = new Set([
  "importDeals",
  "importContacts",
  "undoImport",
  "eraseContact",
  "completeTasksInBulk",
  "addStage",
]);

/** Each member first does one of each counted thing, so every person's id is in the aggregates. */
const WARM_UP = [
  "createCompany",
  "createDeal",
  "logActivity",
  "addNote",
  "createTask",
  "completeTask",
  "createContact",
  "winDeal",
];

/** Runs `count` operations chosen by weight from `seed`; the removal, stage removal and deletion come at fixed points. */
export async function mixOperations(ws: Workspace, seed: number, count: number, hooks: Hooks): Promise<void> {
  const r = seededRandom(seed);
  const names = Object.keys(OPERATIONS);
  const total = names.reduce((sum, n) => sum + OPERATIONS[n]![0], 0);
  const choose = () => {
    let x = r.int(total);
    for (const n of names) {
      x -= OPERATIONS[n]![0];
      if (x < 0) return n;
    }
    return names[0]!;
  };
  const warmUp = ws.actors.flatMap((a) => WARM_UP.map((op) => [op, a] as const));
  for (let i = 1; i <= count; i++) {
    let description: string;
    if (i === Math.round(count * 0.3) || i === Math.round(count * 0.6)) {
      description = `removeStage ${await removeStageWithDeals(r, ws)}`;
    } else if (i === Math.round(count * 0.45)) {
      const leaver = ws.actors.find((a) => a.role === "member")!;
      const res = await send(`/app/settings/team/members/${leaver.userId}/remove`, {
        cookie: ws.owner.cookie,
        form: {},
      });
      ws.actors = ws.actors.filter((a) => a !== leaver);
      description = `removeMember ${await answered(res, `removed ${leaver.name}`, [303])}`;
    } else if (i === Math.round(count * 0.8)) {
      const leaver = ws.actors.find((a) => a.role === "admin")!;
      await hooks.beforeAccountDeletion(leaver);
      const form = { delete_password: GOOD_PASSWORD, confirm_delete: "on" };
      const res = await send("/app/settings/profile/delete", { cookie: leaver.cookie, form });
      ws.actors = ws.actors.filter((a) => a !== leaver);
      description = `deleteAccount ${await answered(res, `${leaver.name} deleted their account`, [303])}`;
    } else {
      const [name, chosen] = warmUp[i - 1] ?? [choose(), r.pick(ws.actors)!];
      // Imports, erasure and pipeline settings are an admin's; the owner does them.
      const by = ADMIN_ONLY.has(name) ? ws.owner : chosen;
      description = `${name} ${by.name}: ${await OPERATIONS[name]![1](r, ws, by)}`;
    }
    await hooks.onOperation(i, description);
  }
}
