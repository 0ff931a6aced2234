/** A timestamp (epoch ms) as a <time> element: the date, or date and time in UTC. */
export function Time(p: { ms: number; precision?: "date" | "minute" | "second" }) {
  const iso = new Date(p.ms).toISOString();
  const text =
    p.precision === "minute"
      ? `${iso.slice(0, 16).replace("T", " ")} UTC`
      : p.precision === "second"
        ? `${iso.slice(0, 19).replace("T", " ")} UTC`
        : iso.slice(0, 10);
  return <time datetime={iso}>{text}</time>;
}
