/**
 * What the pipelines settings routes share: the page (with a refused form shown again), a form's
 * submission, a move up or down, and small parsers.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { TenantDb } from "../../../db/scoped";
import type { AppEnv } from "../../../env";
import type { Actor } from "../../../lib/actor";
import { errorResponse } from "../../../lib/errors";
import { render } from "../../../lib/render";
import { formValue, parseForm, text } from "../../../lib/validation";
import { listLostReasons } from "../../../services/deals/lost-reasons";
import { listPipelines, type Direction } from "../../../services/deals/pipelines";
import { actorOf, tenantOf } from "../../context";
import { noticeOf, parseRecordId } from "../../record-helpers";
import {
  PIPELINE_NOTICES,
  PipelinesPage,
  type PipelinesPageProps,
} from "../../../../views/pages/settings/PipelinesPage";
import { settingsMenuOf } from "./settings-context";

export const PIPELINES_PATH = "/app/settings/pipelines";

export const nameSchema = (label: string, max = 50) =>
  z.object({ name: z.preprocess((v) => v ?? "", text(label, { min: 1, max })) });

/** The direction of a move button, or null. */
export function directionOf(raw: unknown): Direction | null {
  return raw === "up" || raw === "down" ? raw : null;
}

/** The settings page, maybe with a refused form shown again. */
export async function pipelinesPage(
  c: Context<AppEnv>,
  problem: PipelinesPageProps["problem"] = null,
  status: ContentfulStatusCode = 200,
) {
  const t = tenantOf(c);
  const [pipelines, lostReasons] = await Promise.all([listPipelines(t), listLostReasons(t)]);
  return render(
    c,
    "Pipelines",
    <PipelinesPage
      canSeeBilling={settingsMenuOf(c).canSeeBilling}
      pipelines={pipelines}
      lostReasons={lostReasons}
      notice={noticeOf(c, PIPELINE_NOTICES)}
      problem={problem}
    />,
    status,
  );
}

/** What saving a pipeline, stage or lost reason answers: its id, or why the name was refused. */
type Saved = { ok: true; id: number } | { ok: false; message: string };

/**
 * One form of the page submitted: checked against `schema`, then saved. Bad input or a refused name
 * shows the page again with the message by the form (`key`), 422; `save` answering null (the item is
 * gone) is a 404.
 */
export async function submitPipelinesForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  form: { key: string; schema: S; fields: readonly string[] },
  save: (data: z.output<S>) => Promise<Saved | null>,
  done: (id: number) => Response,
): Promise<Response> {
  const body = await c.req.parseBody();
  const values = Object.fromEntries(form.fields.map((name) => [name, formValue(body, name)]));
  const parsed = parseForm(form.schema, body);
  if (!parsed.ok) return pipelinesPage(c, { key: form.key, values, errors: parsed.errors }, 422);
  const result = await save(parsed.data);
  if (!result) return errorResponse(c, 404);
  if (!result.ok) return pipelinesPage(c, { key: form.key, values, errors: { name: result.message } }, 422);
  return done(result.id);
}

/** `POST .../:id/move`: one place up or down (anything else is a 400); another workspace's id is a 404. */
export function moveRoute(
  find: (t: TenantDb, id: number) => Promise<unknown>,
  move: (t: TenantDb, actor: Actor, id: number, direction: Direction) => Promise<unknown>,
  done: (c: Context<AppEnv>, id: number) => Response,
) {
  return async (c: Context<AppEnv>) => {
    const t = tenantOf(c);
    const id = parseRecordId(c.req.param("id"));
    const direction = directionOf((await c.req.parseBody()).direction);
    if (id === null || !(await find(t, id))) return errorResponse(c, 404);
    if (direction === null) return errorResponse(c, 400);
    await move(t, actorOf(c), id, direction);
    return done(c, id);
  };
}
