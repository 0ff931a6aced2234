import { Time } from "../../components/Time";

export interface DashboardPageProps {
  tenantName: string;
  email: string;
  role: string;
  memberCount: number;
  createdAt: number;
}

/** The signed-in home page: which workspace you are in and who you are. */
export function DashboardPage(p: DashboardPageProps) {
  return (
    <div class="stack">
      <h1>{p.tenantName}</h1>
      <div class="grid">
        <section class="card" aria-labelledby="you-heading">
          <h2 id="you-heading">You</h2>
          <dl class="facts">
            <dt>Email</dt>
            <dd>{p.email}</dd>
            <dt>Role</dt>
            <dd>{p.role}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="workspace-heading">
          <h2 id="workspace-heading">Workspace</h2>
          <dl class="facts">
            <dt>Company</dt>
            <dd>{p.tenantName}</dd>
            <dt>Members</dt>
            <dd>{p.memberCount}</dd>
            <dt>Created</dt>
            <dd>
              <Time ms={p.createdAt} />
            </dd>
          </dl>
        </section>
      </div>
    </div>
  );
}
