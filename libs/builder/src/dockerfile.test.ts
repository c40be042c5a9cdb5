import { describe, expect, it } from 'vitest';
import { dockerfileNeedsRun, findRunInstruction, parseDockerfile } from './dockerfile';

const text = [
  '# escape=`',
  'ARG BASE=scratch',
  'FROM ${BASE} AS Build',
  'COPY --chown=1:2 --chmod=0755 --link a `',
  '  b /dst/',
  'COPY ["a b", "c"]',
  'COPY <<EOF <<-"RAW" /x/',
  'hello $NAME',
  'EOF',
  '\tliteral $NAME',
  'RAW',
  'ONBUILD COPY . /app',
  'FROM scratch',
  'COPY --from=build /dst/ /',
  '',
].join('\n');

describe('parseDockerfile', () => {
  const parsed = parseDockerfile('Kubefile', text);

  it('reads the escape directive, ARGs before FROM and stages with lower-cased names', () => {
    expect(parsed.escape).toBe('`');
    expect(parsed.globalArgs.map((a) => a.args)).toEqual(['BASE=scratch']);
    expect(parsed.stages.map((s) => [s.index, s.name, s.from.line])).toEqual([
      [0, 'build', 3],
      [1, undefined, 13],
    ]);
  });

  it('separates flags, joins continuation lines and recognises the JSON form', () => {
    const [copy, json] = parsed.stages[0]!.instructions;
    expect([...copy!.flags]).toEqual([
      ['chown', '1:2'],
      ['chmod', '0755'],
      ['link', ''],
    ]);
    expect(copy!.args.split(/\s+/)).toEqual(['a', 'b', '/dst/']);
    expect(copy!.line).toBe(4);
    expect(json!.json).toEqual(['a b', 'c']);
  });

  it('keeps heredoc bodies, with <<- stripping tabs and a quoted name marking a literal body', () => {
    const heredoc = parsed.stages[0]!.instructions[2]!;
    expect(heredoc.args).toBe('<<EOF <<-"RAW" /x/');
    expect(heredoc.heredocs).toEqual([
      { name: 'EOF', quoted: false, content: 'hello $NAME\n' },
      { name: 'RAW', quoted: true, content: 'literal $NAME\n' },
    ]);
  });

  it('keeps the instruction an ONBUILD registers', () => {
    const onbuild = parsed.stages[0]!.instructions[3]!;
    expect(onbuild.trigger).toMatchObject({ keyword: 'COPY', args: '. /app' });
  });

  it('positions instructions before FROM and files without FROM', () => {
    expect(() => parseDockerfile('Dockerfile', 'COPY a b\nFROM scratch\n')).toThrow(
      'Dockerfile:1: COPY before the first FROM',
    );
    expect(() => parseDockerfile('Dockerfile', '# nothing\n')).toThrow(/Dockerfile:1: no FROM/);
  });
});

describe('RUN detection', () => {
  it('names the line of the first RUN so the caller can dispatch to a container engine', () => {
    const file = 'FROM scratch\nCOPY a /\nRUN echo hi \\\n  there\n';
    expect(findRunInstruction('Kubefile', file)).toEqual({ file: 'Kubefile', line: 3 });
    expect(dockerfileNeedsRun('Kubefile', file)).toBe(true);
    expect(dockerfileNeedsRun('Kubefile', 'FROM scratch\nCOPY a /\n')).toBe(false);
  });
});
