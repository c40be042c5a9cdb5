/**
 * Where a verb prints. At a shell that is the console; the Nx plugin runs resolve, collect and images for many
 * projects in one process and gives each task its own capture, so Nx shows each task's output as the CLI prints it.
 */
export interface Output {
  /** A line (or several) for stdout, as console.log prints it. */
  log(text: string): void;
  /** A line (or several) for stderr, as console.error prints it. */
  error(text: string): void;
}

export const consoleOutput: Output = {
  log: (text) => console.log(text),
  error: (text) => console.error(text),
};

/** An output kept in memory, stdout and stderr interleaved as printed; `text()` reads it back. */
export function capturedOutput(): Output & { text(): string } {
  let text = '';
  return {
    log: (line) => (text += `${line}\n`),
    error: (line) => (text += `${line}\n`),
    text: () => text,
  };
}
