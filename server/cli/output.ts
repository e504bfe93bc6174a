/** CLI output: stdout carries results (one JSON object with --json), stderr carries problems. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  printLines(
    ...rows.map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
  );
}

/**
 * Steps of a slow command, on stderr so stdout stays its result: for people (the readable mode, or
 * `--json` in a terminal), never in the way of a pipe.
 */
export function progressFor(json: boolean | undefined, total: number): (message: string) => void {
  const shown = !json || process.stderr.isTTY;
  let step = 0;
  return (message) => {
    step++;
    if (shown) process.stderr.write(`[${step}/${total}] ${message}\n`);
  };
}
