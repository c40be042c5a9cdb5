// One layout for every verb's options: two spaces, the flag in a 22-column field, its meaning wrapped at 100
// columns below the meaning's first column. A flag too long for its field (two spaces must follow it) takes a line of its own.

const INDENT = '  ';
const FLAG_WIDTH = 22;
const WIDTH = 100;

/** One option as `--help` lists it: `['--out DIR', 'where to write']`. */
export type OptionHelp = readonly [flag: string, meaning: string];

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The options as a help table. */
export function optionList(options: readonly OptionHelp[]): string {
  const pad = ' '.repeat(INDENT.length + FLAG_WIDTH);
  return options
    .flatMap(([flag, meaning]) => {
      const [first, ...rest] = wrap(meaning, WIDTH - pad.length);
      const head =
        flag.length <= FLAG_WIDTH - 2
          ? [`${INDENT}${flag.padEnd(FLAG_WIDTH)}${first}`]
          : [`${INDENT}${flag}`, `${pad}${first}`];
      return [...head, ...rest.map((line) => `${pad}${line}`)];
    })
    .join('\n');
}
