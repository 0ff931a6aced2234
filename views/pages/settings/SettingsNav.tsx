/** The tabs of the settings area. */
export function SettingsNav(p: {
  current:
    | "profile"
    | "security"
    | "privacy"
    | "team"
    | "workspace"
    | "tags"
    | "pipelines"
    | "fields"
    | "audit"
    | "support"
    | "api"
    | "export"
    | "import"
    | "billing"
    | "trash"
    | "webhooks";
  canSeeAudit: boolean;
  canSeeBilling?: boolean;
}) {
  type Tab = { key: string; href: string; label: string };
  const admin = (tabs: Tab[]) => (p.canSeeAudit ? tabs : []);
  // Grouped so sixteen tabs can be scanned: what is yours, the workspace's, its records, its data in and
  // out, and what developers use. Workspace-wide settings are for admins and owners, who see the audit trail;
  // every member sees Trash (restoring is for its owner or an admin, /app/trash); Billing is the owner's.
  const groups: { id: string; label: string; tabs: Tab[] }[] = [
    {
      id: "account",
      label: "Your account",
      tabs: [
        { key: "profile", href: "/app/settings/profile", label: "Profile" },
        { key: "security", href: "/app/settings/security", label: "Security" },
        { key: "privacy", href: "/app/settings/privacy", label: "Privacy" },
      ],
    },
    {
      id: "workspace",
      label: "Workspace",
      tabs: [
        { key: "team", href: "/app/settings/team", label: "Team" },
        ...admin([{ key: "workspace", href: "/app/settings/workspace", label: "Workspace" }]),
        ...(p.canSeeBilling ? [{ key: "billing", href: "/app/settings/billing", label: "Billing" }] : []),
        ...admin([{ key: "support", href: "/app/settings/support", label: "Support access" }]),
      ],
    },
    {
      id: "records",
      label: "Records",
      tabs: [
        ...admin([
          { key: "tags", href: "/app/settings/tags", label: "Tags" },
          { key: "fields", href: "/app/settings/fields", label: "Custom fields" },
          { key: "pipelines", href: "/app/settings/pipelines", label: "Pipelines" },
        ]),
        { key: "trash", href: "/app/trash", label: "Trash" },
      ],
    },
    {
      id: "data",
      label: "Data",
      tabs: admin([
        { key: "import", href: "/app/import", label: "Import" },
        { key: "export", href: "/app/export", label: "Export" },
        { key: "audit", href: "/app/settings/audit", label: "Audit trail" },
      ]),
    },
    {
      id: "developers",
      label: "Developers",
      tabs: admin([
        { key: "api", href: "/app/settings/api", label: "API" },
        { key: "webhooks", href: "/app/settings/webhooks", label: "Webhooks" },
      ]),
    },
  ];
  return (
    <nav class="tabs settings-nav" aria-label="Settings" hx-boost="true">
      {groups
        .filter((g) => g.tabs.length > 0)
        .map((g) => (
          <div class="settings-group" role="group" aria-labelledby={`settings-group-${g.id}`}>
            <span class="settings-group-label" id={`settings-group-${g.id}`}>
              {g.label}
            </span>
            {g.tabs.map((t) => (
              // Billing loads as a full page: its forms post to us and are redirected on to Stripe, which
              // the CSP's form-action allows only on the billing page's own policy.
              <a
                href={t.href}
                aria-current={t.key === p.current ? "page" : undefined}
                hx-boost={t.key === "billing" ? "false" : undefined}
              >
                {t.label}
              </a>
            ))}
          </div>
        ))}
    </nav>
  );
}
