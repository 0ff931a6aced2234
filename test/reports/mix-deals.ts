/** The mix's operations on deals and imports, each [weight, operation]: real requests through the app. */
import { expect } from "vitest";
import { send } from "../helpers/http";
import { post, type Form } from "../contacts/contact-helpers";
import { importFile, waitFor } from "../import/helpers";
import {
  amount,
  answered,
  closedOn,
  CURRENCIES,
  dealForm,
  dealsOf,
  idsOf,
  nextNumber,
  type Operation,
  REASONS,
  rows,
  stagesOf,
} from "./mix-common";

export const DEAL_OPERATIONS: Record<string, [weight: number, Operation]> = {
  createDeal: [
    14,
    async (r, ws, by) =>
      answered(await post("/app/deals", by.cookie, await dealForm(r, ws, null)), "created a deal", [303]),
  ],
  editDeal: [
    12,
    async (r, ws, by) => {
      const deal = r.pick(await dealsOf(ws));
      if (!deal) return "no deal to edit";
      const form = await dealForm(r, ws, { ...deal, amount: (Number(deal.amount_minor) / 100).toFixed(2) });
      return answered(
        await post(`/app/deals/${deal.id}`, by.cookie, form),
        `edited deal ${deal.id} ${JSON.stringify(form)}`,
        [303],
      );
    },
  ],
  moveDeal: [
    10,
    async (r, ws, by) => {
      const deal = r.pick(await dealsOf(ws, "status = 'open'"));
      if (!deal) return "no open deal to move";
      const stage = r.pick((await stagesOf(ws)).filter((s) => s.pipeline_id === deal.pipeline_id))!;
      const hx = r.chance(0.5) ? { "HX-Request": "true" } : undefined;
      const res = await post(`/app/deals/${deal.id}/move`, by.cookie, { stage_id: String(stage.id) }, hx);
      return answered(res, `moved deal ${deal.id} to stage ${stage.id}`, [200, 303]);
    },
  ],
  winDeal: [
    6,
    async (r, ws, by) => {
      const deal = r.pick(await dealsOf(ws, "status = 'open'"));
      if (!deal) return "no open deal to win";
      const form = { closed_on: closedOn(r) };
      return answered(
        await post(`/app/deals/${deal.id}/won`, by.cookie, form),
        `won deal ${deal.id} on '${form.closed_on}'`,
        [303],
      );
    },
  ],
  loseDeal: [
    6,
    async (r, ws, by) => {
      const deal = r.pick(await dealsOf(ws, "status = 'open'"));
      if (!deal) return "no open deal to lose";
      const form = { reason_id: "", reason_text: r.pick(REASONS)!, closed_on: closedOn(r) };
      return answered(
        await post(`/app/deals/${deal.id}/lost`, by.cookie, form),
        `lost deal ${deal.id} ${JSON.stringify(form)}`,
        [303],
      );
    },
  ],
  reopenDeal: [
    5,
    async (r, ws, by) => {
      const deal = r.pick(await dealsOf(ws, "status <> 'open'"));
      if (!deal) return "no closed deal to reopen";
      return answered(await post(`/app/deals/${deal.id}/reopen`, by.cookie, {}), `reopened deal ${deal.id}`, [303]);
    },
  ],
  deleteDeal: [
    4,
    async (r, ws, by) => {
      const id = r.pick(await idsOf(ws, "deals"));
      if (id === undefined) return "no deal to delete";
      return answered(await post(`/app/deals/${id}/delete`, by.cookie, {}), `deleted deal ${id}`, [303]);
    },
  ],
  bulkDeals: [
    6,
    async (r, ws, by) => {
      const ids = (await idsOf(ws, "deals"))
        .filter(() => r.chance(0.25))
        .slice(0, 8)
        .map(String);
      if (ids.length === 0) return "no deals selected";
      const action = r.pick(["move", "owner", "delete"] as const)!;
      const form: Form = { action, ids, back: "/app/deals/list" };
      if (action === "move") form.stage_id = String(r.pick(await stagesOf(ws))!.id);
      if (action === "owner") form.owner_id = r.pick(ws.actors)!.userId;
      if (action === "delete") form.confirm = "1";
      return answered(await post("/app/deals/list/bulk", by.cookie, form), `bulk ${JSON.stringify(form)}`, [303]);
    },
  ],
  importDeals: [
    2,
    async (r, ws) => {
      // The import goes to the first pipeline (the upload form's default), whose stages it names.
      const all = await stagesOf(ws);
      const stages = all.filter((s) => s.pipeline_id === Math.min(...all.map((x) => Number(x.pipeline_id))));
      const lines = ["Name,Amount,Currency,Stage,Status,Lost reason,Close date"];
      for (let i = r.int(5) + 1; i > 0; i--) {
        const status = r.pick(["open", "open", "won", "lost"])!;
        const reason = status === "lost" ? r.pick(REASONS)! : "";
        lines.push(
          `Imported ${r.int(6)},${amount(r)},${r.pick(CURRENCIES)},${r.pick(stages)!.name},${status},${reason},${r.chance(0.3) ? "" : r.day()}`,
        );
      }
      const { id, result } = await importFile(ws.owner.cookie, lines.join("\n"), { kind: "deals", name: "deals.csv" });
      expect(result.status, `deal import ${id}: ${result.message}`).toBe("done");
      ws.imports.push(id);
      return `imported deals (job ${id}): ${lines.slice(1).join(" | ")}`;
    },
  ],
  importContacts: [
    2,
    async (r, ws) => {
      const existing = await rows(
        "SELECT primary_email FROM contacts WHERE tenant_id = ? AND primary_email IS NOT NULL",
        ws.tenantId,
      );
      const lines = ["First name,Last name,Email"];
      for (let i = r.int(4) + 1; i > 0; i--) {
        const reuse = r.chance(0.3) ? r.pick(existing)?.primary_email : undefined;
        const n = nextNumber();
        lines.push(`Imported,Person ${n},${reuse ?? `mix-${n}-${ws.tenantId.slice(0, 6)}@example.com`}`);
      }
      const { id, result } = await importFile(ws.owner.cookie, lines.join("\n"));
      expect(result.status, `contact import ${id}: ${result.message}`).toBe("done");
      ws.imports.push(id);
      return `imported contacts (job ${id}): ${lines.length - 1} rows`;
    },
  ],
  undoImport: [
    3,
    async (r, ws) => {
      const id = r.pick(ws.imports);
      if (!id) return "no import to undo";
      ws.imports.splice(ws.imports.indexOf(id), 1);
      const res = await send(`/app/import/${id}/undo`, { cookie: ws.owner.cookie, form: {} });
      await answered(res, "undo", [303]);
      const job = await waitFor(id, ["undone", "failed"], 30_000);
      expect(job.status, `undo of ${id}: ${job.message}`).toBe("undone");
      return `undid import ${id}`;
    },
  ],
};
