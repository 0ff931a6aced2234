/**
 * The shapes of what admins set up in the app's settings, as the API writes them: pipelines and their stages,
 * tags, custom field definitions. The zod here types the JSON and describes it; the values are then checked by
 * the settings forms' own schemas (in their services), so the API's messages are the forms'.
 */
import { z } from "@hono/zod-openapi";

const stageFields = {
  name: z.string().openapi({ description: "1 to 50 characters, unique in its pipeline.", example: "Proposal" }),
  probability: z
    .number()
    .openapi({ description: "Win probability: a whole number from 0 to 100.", minimum: 0, maximum: 100, example: 50 }),
};

/** The most stages a pipeline can be created with in one request (the settings page adds them one by one). */
export const MAX_NEW_STAGES = 30;

export const PipelineCreateSchema = z
  .object({
    name: z.string().openapi({ description: "1 to 50 characters, unique in the workspace.", example: "Partners" }),
    stages: z
      .array(z.object({ name: stageFields.name, probability: stageFields.probability.optional() }).strict())
      .min(1)
      .max(MAX_NEW_STAGES)
      .optional()
      .openapi({
        description: 'In board order; one stage "New" (0 %) by default. A missing probability is 0.',
        example: [
          { name: "Intro", probability: 10 },
          { name: "Signed", probability: 100 },
        ],
      }),
  })
  .strict()
  .openapi("PipelineCreate");

export const PipelineUpdateSchema = z
  .object({ name: z.string().optional().openapi({ example: "Partnerships" }) })
  .strict()
  .openapi("PipelineUpdate");

export const StageSchema = z
  .object({
    id: z.number().int().openapi({ example: 3 }),
    pipeline_id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Proposal" }),
    position: z.number().int().openapi({ description: "0 is the first column of the board." }),
    probability: z.number().int().openapi({ description: "Win probability in percent.", example: 50 }),
    open_deals: z.number().int(),
  })
  .openapi("Stage");

export const StageCreateSchema = z
  .object({ name: stageFields.name, probability: stageFields.probability.optional() })
  .strict()
  .openapi("StageCreate");

export const StageUpdateSchema = z
  .object({
    name: stageFields.name.optional(),
    probability: stageFields.probability.optional(),
    position: z
      .number()
      .optional()
      .openapi({ description: "Its place in the pipeline, 0 first; the others keep their order.", example: 0 }),
  })
  .strict()
  .openapi("StageUpdate");

export const StageDeleteQuery = z
  .object({
    move_deals_to: z.coerce.number().int().positive().optional().openapi({
      description: "Another stage of the same pipeline: where the stage's deals go (needed if it has any).",
    }),
  })
  .strict();
