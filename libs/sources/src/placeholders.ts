/** `[[ name ]]` or `[[ Name(arg) ]]`, spaces required inside the brackets so TOML `[[table]]` is left alone. */
const PLACEHOLDER = /\[\[\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\(\s*([^)]*?)\s*\))?\s+\]\]/g;

export type PlaceholderValue = { value: string } | { error: string; hint: string };

export interface PlaceholderIssue {
  line: number;
  placeholder: string;
  message: string;
  hint: string;
}

/** Replaces every placeholder; the ones `lookup` cannot answer are reported with their line. */
export function substitutePlaceholders(
  text: string,
  lookup: (name: string, argument: string | undefined) => PlaceholderValue,
): { text: string; issues: PlaceholderIssue[] } {
  const issues: PlaceholderIssue[] = [];
  const lines = text.split('\n').map((line, index) =>
    line.replace(PLACEHOLDER, (whole: string, name: string, argument: string | undefined) => {
      const result = lookup(name, argument);
      if ('value' in result) return result.value;
      issues.push({ line: index + 1, placeholder: whole, message: result.error, hint: result.hint });
      return whole;
    }),
  );
  return { text: lines.join('\n'), issues };
}
