/** A list option as Nx hands it over (`--x=a,b`, `--x a --x b`, or a JSON array), trimmed, blanks dropped. */
export function listOption(value: string | readonly string[] | undefined, fallback: readonly string[] = []): string[] {
  if (value === undefined) return [...fallback];
  const items = (Array.isArray(value) ? value : [value]).flatMap((v: string) => String(v).split(','));
  return items.map((v) => v.trim()).filter(Boolean);
}
