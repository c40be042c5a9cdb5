import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors';
import { parseProject } from './load';
import { findProjectFiles } from './find-projects';

const repo = join(__dirname, '..', '..', '..');
const messages = (text: string) => parseProject(text, 'releases/x/project.yaml').issues.map(formatIssue);

describe('parseProject', () => {
  it('accepts every example project in the workspace', async () => {
    const files = await findProjectFiles(repo);
    expect(files.length).toBeGreaterThanOrEqual(5);
    const kinds = new Set<string>();
    for (const file of files) {
      const loaded = parseProject(readFileSync(join(repo, file), 'utf8'), file);
      expect(loaded.issues.map(formatIssue)).toEqual([]);
      kinds.add(loaded.kind!);
    }
    expect([...kinds].sort()).toEqual(['AppImage', 'CloudImage', 'ContainerImage', 'Plugin', 'Release']);
  });

  it('points at a misspelt key and suggests the known one', () => {
    expect(messages('kind: Release\nname: x\nverison: v1\n')).toEqual([
      'releases/x/project.yaml:1:1: version: missing required key "version" (add it)',
      'releases/x/project.yaml:3:1: verison: unknown key "verison" (did you mean "version"?)',
    ]);
  });

  it('names the field and the expected type for a wrong type', () => {
    const text =
      'kind: Plugin\nname: p\nreleaseRegistry: r.example.com\nspec:\n  version: v0.1.0\n  service:\n    port: "80"\n    image: r.example.com/release/compass-plugins-p:v0.1.0\n';
    expect(messages(text)).toEqual([
      'releases/x/project.yaml:7:11: spec.service.port: must be integer, got string (write an integer here)',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(messages('kind: Release\nname: x\ndescription: note: colons need quotes\nversion: v1\n')).toEqual([
      'releases/x/project.yaml:3:14: YAML syntax error: Nested mappings are not allowed in compact mappings (fix the YAML syntax (indentation, quoting, colons))',
    ]);
    const unclosed = parseProject('kind: Release\nname: x\nversion: [v1\n', 'a/project.yaml');
    expect(unclosed.issues.map(formatIssue)).toEqual([
      'a/project.yaml:4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (fix the YAML syntax (indentation, quoting, colons))',
    ]);
    expect(unclosed.name).toBe('x');
  });

  it('suggests the nearest enum value and kind', () => {
    expect(messages('kind: Releas\nname: x\n')).toEqual([
      'releases/x/project.yaml:1:7: kind: unknown kind "Releas" (did you mean "Release"?)',
    ]);
    const text =
      'kind: Release\nname: x\nversion: v1\ncomponents:\n  - name: c\n    git: { url: ../c.git }\n    tag: { policy: newst }\n';
    expect(messages(text)).toEqual([
      'releases/x/project.yaml:7:20: components[0].tag.policy: "newst" is not one of newest, semver, regex, pinned (did you mean "newest"?)',
    ]);
  });

  it('refuses inline secrets and says where secrets go', () => {
    const text =
      'kind: Release\nname: x\nversion: v1\nsync:\n  from: { registry: a.example.com, credentials: { username: u, password: hunter2 } }\n  to: [{ registry: b.example.com }]\n';
    const [message] = messages(text);
    expect(message).toMatch(
      /^releases\/x\/project\.yaml:5:\d+: sync\.from\.credentials\.password: inline secret "password" is not allowed/,
    );
    expect(message).toContain('passwordEnv');
    expect(message).not.toContain('hunter2');
  });

  it('explains a component with no source or two sources', () => {
    const text =
      'kind: Release\nname: x\nversion: v1\ncomponents:\n  - name: a\n  - name: b\n    local: b\n    git: { url: ../b.git }\n';
    expect(messages(text)).toEqual([
      'releases/x/project.yaml:5:5: components[0]: sets none of git, local, helm, image (set exactly one of {git} or {local} or {helm} or {image})',
      'releases/x/project.yaml:6:5: components[1]: sets git and local, which cannot be combined (set exactly one of {git} or {local} or {helm} or {image})',
    ]);
  });

  it('explains patterns with the schema description', () => {
    const [message] = messages('kind: Release\nname: Bad_Name\nversion: v1\n');
    expect(message).toBe(
      `releases/x/project.yaml:2:7: name: does not match the expected form (expected lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit)`,
    );
  });

  it('never echoes the value of a field that fails its pattern, since it may be a secret in the wrong place', () => {
    const text =
      'kind: Release\nname: x\nversion: v1\ncomponents:\n  - name: c\n    git: { url: ../c.git, tokenEnv: ghp_SecretValue123 }\n';
    expect(messages(text)).toEqual([
      "releases/x/project.yaml:6:37: components[0].git.tokenEnv: does not match the expected form (expected the NAME of an environment variable (letters, digits, '_'), never its value (a GitHub token such as ghp_… is refused))",
    ]);
    const [other] = messages(text.replace('ghp_SecretValue123', 'glpat-SecretValue123'));
    expect(other).toMatch(
      /^releases\/x\/project\.yaml:6:37: components\[0\]\.git\.tokenEnv: does not match the expected form/,
    );
    expect(other).not.toContain('SecretValue123');
  });

  it('refuses credentials in git and Helm URLs without echoing them, and says where they go', () => {
    const text = [
      'kind: Release',
      'name: x',
      'version: v1',
      'components:',
      '  - name: a',
      '    git: { url: "https://alice:hunter2@git.example.com/org/a.git" }',
      '  - name: b',
      '    git: { url: "https://ghp_Tok3nValue@git.example.com/org/b.git" }',
      '  - name: c',
      '    helm: { repo: "https://bob:s3cr3tpw@charts.example.com/stable", chart: c }',
      '  - name: d',
      '    git: { url: "ssh://deploy:sshpa55@git.example.com/org/d.git" }',
      '',
    ].join('\n');
    const found = messages(text);
    expect(found.map((m) => m.split(': does not match')[0])).toEqual([
      'releases/x/project.yaml:6:17: components[0].git.url',
      'releases/x/project.yaml:8:17: components[1].git.url',
      'releases/x/project.yaml:10:19: components[2].helm.repo',
      'releases/x/project.yaml:12:17: components[3].git.url',
    ]);
    expect(found[0]).toContain('tokenEnv or tokenFile');
    for (const secret of ['alice', 'hunter2', 'ghp_Tok3nValue', 's3cr3tpw', 'sshpa55'])
      expect(found.join('\n')).not.toContain(secret);
  });

  it('keeps ssh and scp-style git URLs with a user name valid', () => {
    const text = [
      'kind: Release',
      'name: x',
      'version: v1',
      'components:',
      '  - name: a',
      '    git: { url: "git@github.com:org/a.git" }',
      '  - name: b',
      '    git: { url: "ssh://git@git.example.com:2222/org/b.git" }',
      '  - name: c',
      '    git: { url: "https://git.example.com/org/c.git" }',
      '',
    ].join('\n');
    expect(messages(text)).toEqual([]);
  });

  it('enforces the plugin image naming rule', () => {
    const text =
      'kind: Plugin\nname: p\nreleaseRegistry: r.example.com\nspec:\n  version: v0.2.0\n  service:\n    port: 80\n    image: r.example.com/release/compass-plugins-p:v0.1.0\n';
    expect(messages(text)).toEqual([
      'releases/x/project.yaml:8:12: spec.service.image: image "r.example.com/release/compass-plugins-p:v0.1.0" does not follow the naming rule (use r.example.com/release/compass-plugins-p:v0.2.0)',
    ]);
  });

  it('requires the field a tag policy needs', () => {
    const text =
      'kind: Release\nname: x\nversion: v1\ncomponents:\n  - name: c\n    git: { url: ../c.git }\n    tag: { policy: semver }\n';
    expect(messages(text)).toEqual([
      'releases/x/project.yaml:7:10: components[0].tag: policy "semver" needs "range" (add range:)',
    ]);
  });
});

/** Files written to hurt the reader: each must become a located problem of that file, never an exception. */
describe('parseProject on hostile files', () => {
  const parse = (text: string) => parseProject(text, 'releases/bad/project.yaml');

  it('refuses a billion-laughs file (nested aliases) at its first alias, keeping the declared name', () => {
    const lines = [
      'kind: Release',
      'name: lol',
      'version: v1',
      'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const loaded = parse(lines.join('\n') + '\n');
    expect(loaded.issues.map(formatIssue)).toEqual([
      'releases/bad/project.yaml:5:10: YAML aliases expand too far (more than 100 alias uses) (write the values out instead of nesting aliases)',
    ]);
    expect(loaded.name).toBe('lol');
  });

  it('says an empty file is empty', () => {
    for (const text of ['', '\n\n', '# only a comment\n']) {
      expect(parse(text).issues.map(formatIssue)).toEqual([
        'releases/bad/project.yaml:1:1: the file is empty (start with "kind:" and "name:")',
      ]);
    }
  });

  it('says a binary file is not text, where the first binary byte is', () => {
    const text = Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x0a, 0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe]).toString(
      'utf8',
    );
    const loaded = parse(text);
    expect(loaded.issues.map(formatIssue)).toEqual([
      'releases/bad/project.yaml:2:1: binary data, not YAML text (a project.yaml is a UTF-8 text file)',
    ]);
    expect(loaded.name).toBe('bad');
  });

  it('refuses nesting deeper than a project file ever needs, flow or block, before anything recurses on it', () => {
    const flow = parse(`kind: Release\nname: deep\nversion: v1\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(flow.issues.map(formatIssue)).toEqual([
      'releases/bad/project.yaml:4:67: nested more than 64 levels deep (a project file never needs that much nesting)',
    ]);
    expect(flow.name).toBe('deep');
    const block = parse(
      `kind: Release\nname: deeper\nversion: v1\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`,
    );
    expect(block.issues.map(formatIssue)).toEqual([
      'releases/bad/project.yaml:68:65: nested more than 64 levels deep (a project file never needs that much nesting)',
    ]);
    expect(
      parse(`kind: Release\nname: fine\nversion: v1\nplaceholders: ${'{a: '.repeat(10)}b${'}'.repeat(10)}\n`).issues[0]
        ?.message,
    ).not.toMatch(/nested/);
  });

  it('names a key written twice, at the second one', () => {
    expect(parse('kind: Release\nname: dup\nversion: v1\nname: again\n').issues.map(formatIssue)).toEqual([
      'releases/bad/project.yaml:4:1: name: key "name" is written twice in this mapping (keep one)',
    ]);
    expect(
      parse(
        'kind: Release\nname: dup\nversion: v1\ncomponents:\n  - name: a\n    local: a\n  - name: b\n    local: b\n    local: c\n',
      ).issues.map(formatIssue),
    ).toEqual([
      'releases/bad/project.yaml:9:5: components[1].local: key "local" is written twice in this mapping (keep one)',
    ]);
  });
  it('lets the targets of a CloudImage state one disk size, since every target gets the same image', () => {
    const cloud = (sizes: string[]) =>
      [
        'kind: CloudImage',
        'name: c',
        'versions: ["22.03-LTS-SP1"]',
        'arches: [amd64]',
        'source: { repo: https://repo.openeuler.org }',
        'targets:',
        ...sizes.map(
          (size) =>
            `  - { type: aws, region: r, size: ${size}, credentials: { accessKeyIdEnv: A, secretAccessKeyEnv: B } }`,
        ),
        '',
      ].join('\n');
    expect(messages(cloud(['8G', '2048M']))).toEqual([
      'releases/x/project.yaml:8:35: targets[1].size: size 2048M differs from 8G (targets[0].size): every target gets the same image (state one disk size)',
    ]);
    expect(messages(cloud(['8G', '8G']))).toEqual([]);
    expect(messages(cloud(['8T']))[0]).toMatch(/targets\[0\]\.size: /);
  });
});
