/** What the pipelines settings routes share: the page (with a refused form shown again) and small parsers. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import { text } from "../../../lib/validation";
import { listLostReasons } from "../../../services/deals/lost-reasons";
import { listPipelines, type Direction } from "../../../services/deals/pipelines";
import { tenantOf } from "../../context";
import { noticeOf } from "../../record-helpers";
import {
  PIPELINE_NOTICES,
  PipelinesPage,
  type PipelinesPageProps,
} from "../../../../views/pages/settings/PipelinesPage";

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
      pipelines={pipelines}
      lostReasons={lostReasons}
      notice={noticeOf(c, PIPELINE_NOTICES)}
      problem={problem}
    />,
    status,
  );
}
