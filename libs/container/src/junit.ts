/** One check as CI shows it. */
export interface CheckCase {
  suite: string;
  name: string;
  /** Undefined when it passed. */
  failure?: string;
  seconds: number;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A JUnit XML report: one testsuite per suite name, in first-seen order. */
export function junitXml(cases: readonly CheckCase[]): string {
  const suites = [...new Set(cases.map((c) => c.suite))];
  const body = suites.map((suite) => {
    const own = cases.filter((c) => c.suite === suite);
    const failures = own.filter((c) => c.failure !== undefined).length;
    const time = own.reduce((sum, c) => sum + c.seconds, 0).toFixed(3);
    const tests = own
      .map((c) => {
        const open = `    <testcase classname="${escape(suite)}" name="${escape(c.name)}" time="${c.seconds.toFixed(3)}"`;
        return c.failure === undefined
          ? `${open}/>`
          : `${open}>\n      <failure message="${escape(c.failure)}"/>\n    </testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${escape(suite)}" tests="${own.length}" failures="${failures}" time="${time}">\n${tests}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${body.join('\n')}\n</testsuites>\n`;
}
