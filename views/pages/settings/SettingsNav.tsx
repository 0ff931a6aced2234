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
  const tabs = [
    { key: "profile", href: "/app/settings/profile", label: "Profile" },
    { key: "security", href: "/app/settings/security", label: "Security" },
    { key: "privacy", href: "/app/settings/privacy", label: "Privacy" },
    { key: "team", href: "/app/settings/team", label: "Team" },
    // Every member sees what was deleted lately; restoring is for its owner or an admin (/app/trash).
    { key: "trash", href: "/app/trash", label: "Trash" },
    // Workspace-wide settings are for admins and owners, the same people who see the audit trail.
    ...(p.canSeeAudit
      ? [
          { key: "workspace", href: "/app/settings/workspace", label: "Workspace" },
          { key: "tags", href: "/app/settings/tags", label: "Tags" },
          { key: "fields", href: "/app/settings/fields", label: "Custom fields" },
          { key: "pipelines", href: "/app/settings/pipelines", label: "Pipelines" },
          { key: "audit", href: "/app/settings/audit", label: "Audit trail" },
          { key: "support", href: "/app/settings/support", label: "Support access" },
          { key: "api", href: "/app/settings/api", label: "API" },
          { key: "webhooks", href: "/app/settings/webhooks", label: "Webhooks" },
          { key: "import", href: "/app/import", label: "Import" },
          { key: "export", href: "/app/export", label: "Export" },
        ]
      : []),
    ...(p.canSeeBilling ? [{ key: "billing", href: "/app/settings/billing", label: "Billing" }] : []),
  ];
  return (
    <nav class="tabs" aria-label="Settings" hx-boost="true">
      {tabs.map((t) => (
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
    </nav>
  );
}
