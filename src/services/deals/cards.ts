/** Small pieces of the board's cards: the keyset cursor of a column, the name search pattern, initials. */

/** Where a column's page ends: the last card's close key and id. */
export interface ColumnCursor {
  closeKey: string;
  id: number;
}

export function encodeCursor(c: ColumnCursor): string {
  return `${c.closeKey}~${c.id}`;
}

/** A cursor from the URL, or null when it is not one this board wrote. */
export function decodeCursor(raw: string | undefined | null): ColumnCursor | null {
  const m = raw ? /^(\d{4}-\d{2}-\d{2})~([1-9]\d{0,14})$/.exec(raw) : null;
  return m ? { closeKey: m[1]!, id: Number(m[2]) } : null;
}

/** "Ada Lovelace" → "AL"; without a name, the first two letters of the address. */
export function initialsOf(name: string | null, email: string): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2) return (words[0]![0]! + words[words.length - 1]![0]!).toUpperCase();
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return email
    .replace(/[^a-zA-Z0-9]/g, "")
    .slice(0, 2)
    .toUpperCase();
}
