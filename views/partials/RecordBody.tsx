import type { Child } from "hono/jsx";
import { Card } from "../components/Card";
import { TagList } from "../pages/companies/FormFields";
import { CreatedUpdatedFacts, CustomFacts, type RecordPageContext } from "./RecordPage";
import { RecordTasksSlot } from "../pages/tasks/TasksPage";
import { Timeline } from "./timeline/Timeline";

/**
 * Below the head of a contact's or a company's page: its tags, its details (the record's own facts, then its
 * custom values and times), the cards that follow (the children), and its timeline beside them.
 */
export function RecordBody(p: {
  context: RecordPageContext;
  record: { createdAt: number; updatedAt: number };
  precision?: "minute";
  facts: Child;
  children: Child;
}) {
  return (
    <>
      <TagList tags={p.context.tags} />
      <div class="record-layout">
        <div class="stack">
          <Card id="details" title="Details">
            <dl class="facts">
              {p.facts}
              <CustomFacts fields={p.context.fields} values={p.context.values} />
              <CreatedUpdatedFacts
                createdAt={p.record.createdAt}
                updatedAt={p.record.updatedAt}
                precision={p.precision}
              />
            </dl>
          </Card>
          <RecordTasksSlot record={`${p.context.timeline.subject.type}:${p.context.timeline.subject.id}`} />
          {p.children}
        </div>
        <Timeline {...p.context.timeline} />
      </div>
    </>
  );
}
