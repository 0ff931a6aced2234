/**
 * The company form's page under /app/companies (new and edit) and the steps its posts share: the ticked tags
 * echoed back, and a "New tag" past the workspace's limit turned into the field's error.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../../env";
import { render } from "../../../lib/render";
import {
  COMPANY_LIMITS,
  COMPANY_SIZES,
  formerOwnerOf,
  type CompanyFormContext,
} from "../../../services/companies/form";
import { TagLimitError } from "../../../services/records/tags";
import type { FormBody } from "../../record-helpers";
import { recordFormProps, type RecordFormState } from "../shared/record-form";
import { CompanyFormPage } from "../../../../views/pages/companies/CompanyForm";

/** The tag ids a form ticked, as numbers, to show them ticked again. */
export function echoTagIds(body: FormBody): number[] {
  const raw = body.tag_ids === undefined ? [] : Array.isArray(body.tag_ids) ? body.tag_ids : [body.tag_ids];
  return raw
    .filter((v): v is string => typeof v === "string")
    .map(Number)
    .filter(Number.isSafeInteger);
}

/** The company form with what it offers (tags, fields, members, sizes) and the state given. */
export function formPage(
  c: Context<AppEnv>,
  ctx: CompanyFormContext,
  opts: RecordFormState & {
    duplicates?: { id: number; name: string }[];
    /** An edit's company as read: its version, and its owner when they have left the workspace. */
    company?: { updatedAt: number; ownerId: string | null; ownerEmail: string | null };
    alert?: string;
  },
  status: ContentfulStatusCode = 200,
) {
  return render(
    c,
    opts.title,
    <CompanyFormPage
      {...recordFormProps("/app/companies", opts)}
      tags={ctx.tags}
      fields={ctx.fields}
      members={ctx.members}
      formerOwner={opts.company ? formerOwnerOf(ctx, opts.company) : null}
      sizes={COMPANY_SIZES}
      limits={COMPANY_LIMITS}
      region={ctx.region}
      duplicates={opts.duplicates}
      version={opts.company?.updatedAt}
      alert={opts.alert}
    />,
    status,
  );
}

/** A write whose "New tag" the workspace has no room for: the error, to show by the field (nothing written). */
export async function tagLimited<T>(write: () => Promise<T>): Promise<T | TagLimitError> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof TagLimitError) return err;
    throw err;
  }
}
