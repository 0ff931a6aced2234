/** The tabs of the settings area. */
export function SettingsNav(p: { current: "profile" | "security" | "team" | "audit"; canSeeAudit: boolean }) {
  const tabs = [
    { key: "profile", href: "/app/settings/profile", label: "Profile" },
    { key: "security", href: "/app/settings/security", label: "Security" },
    { key: "team", href: "/app/settings/team", label: "Team" },
    ...(p.canSeeAudit ? [{ key: "audit", href: "/app/settings/audit", label: "Audit trail" }] : []),
  ];
  return (
    <nav class="tabs" aria-label="Settings">
      {tabs.map((t) => (
        <a href={t.href} aria-current={t.key === p.current ? "page" : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
