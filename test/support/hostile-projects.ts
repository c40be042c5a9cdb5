/** project.yaml files written to hurt whoever reads them, and the one located problem each must produce. */

function billionLaughs(name: string): string {
  const lines = [
    'kind: Release',
    `name: ${name}`,
    'version: v1',
    'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

export const HOSTILE: Record<string, { file: string; text: string; problem: string }> = {
  laughs: {
    file: 'releases/laughs/project.yaml',
    text: billionLaughs('laughs'),
    problem:
      'releases/laughs/project.yaml:5:10: YAML aliases expand too far (more than 100 alias uses) (write the values out instead of nesting aliases)',
  },
  empty: {
    file: 'releases/empty/project.yaml',
    text: '',
    problem: 'releases/empty/project.yaml:1:1: the file is empty (start with "kind:" and "name:")',
  },
  binary: {
    file: 'releases/binary/project.yaml',
    text: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe]).toString('latin1'),
    problem: 'releases/binary/project.yaml:1:1: binary data, not YAML text (a project.yaml is a UTF-8 text file)',
  },
  deep: {
    file: 'releases/deep/project.yaml',
    text: `kind: Release\nname: deep\nversion: v1\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    problem:
      'releases/deep/project.yaml:4:67: nested more than 64 levels deep (a project file never needs that much nesting)',
  },
  duplicate: {
    file: 'releases/duplicate/project.yaml',
    text: 'kind: Release\nname: duplicate\nversion: v1\nversion: v2\n',
    problem: 'releases/duplicate/project.yaml:4:1: version: key "version" is written twice in this mapping (keep one)',
  },
};
