import { describe, expect, it } from 'vitest';
import { scalar, type Data } from './template-data';
import { fromTreeDeep, structureFunction } from './template-structures';
import { parseYamlTrees } from './yaml-tree';

const s = scalar;
const dict = (entries: Record<string, Data>): Data => ({ kind: 'dict', entries: new Map(Object.entries(entries)) });
const list = (...items: Data[]): Data => ({ kind: 'list', items });

describe('structureFunction', () => {
  it('round-trips a structure through toJson and fromJson exactly, tags staying text', () => {
    const value = dict({ r: dict({ image: s('repo:1.10'), args: list(s('a')) }) });
    const json = structureFunction('toJson', [value])!;
    expect(json).toMatchObject({ kind: 'scalar', text: '{"r":{"args":["a"],"image":"repo:1.10"}}' });
    expect(structureFunction('fromJson', [json])).toBe(value);
    expect(structureFunction('fromJson', [s('{"r":[1,null,"x"]}')])).toEqual(
      dict({ r: list(s('1'), { kind: 'missing' }, s('x')) }),
    );
    expect(structureFunction('toJson', [{ kind: 'missing' }])).toMatchObject({ text: 'null' });
  });

  it('reads YAML text with fromYaml, and writes it with toYaml', () => {
    expect(structureFunction('fromYaml', [s('a: {b: c}')])).toEqual(dict({ a: dict({ b: s('c') }) }));
    expect(structureFunction('toYaml', [dict({ a: list(s('x')) })])).toMatchObject({ text: 'a:\n  - x' });
  });

  it('changes maps in place with set, unset and the merges, as Sprig does', () => {
    const target = dict({ a: s('1') });
    expect(structureFunction('set', [target, s('b'), s('2')])).toBe(target);
    structureFunction('unset', [target, s('a')]);
    expect(target).toEqual(dict({ b: s('2') }));
    const destination = dict({ name: s(''), spec: dict({ x: s('keep') }) });
    structureFunction('mustMergeOverwrite', [destination, dict({ name: s('n'), spec: dict({ y: s('add') }) })]);
    expect(destination).toEqual(dict({ name: s('n'), spec: dict({ x: s('keep'), y: s('add') }) }));
    const kept = dict({ a: s('mine') });
    structureFunction('merge', [kept, dict({ a: s('theirs'), b: s('new') })]);
    expect(kept).toEqual(dict({ a: s('mine'), b: s('new') }));
  });

  it('concatenates lists, keeping an unknown list as one unknown element', () => {
    const why: Data = { kind: 'unknown', why: '.Release' };
    expect(structureFunction('concat', [list(s('a')), { kind: 'missing' }, list(s('b'))])).toEqual(
      list(s('a'), s('b')),
    );
    expect(structureFunction('concat', [list(s('a')), why])).toEqual(list(s('a'), why));
    expect(structureFunction('first', [list(s('a'), s('b'))])).toEqual(s('a'));
    expect(structureFunction('rest', [list(s('a'), s('b'))])).toEqual(list(s('b')));
  });

  it('tells kinds apart with typeIs and kindIs, and digs with a default', () => {
    expect(structureFunction('typeIs', [s('[]interface {}'), list()])).toEqual(s('true'));
    expect(structureFunction('typeIs', [s('string'), s('x')])).toEqual(s('true'));
    expect(structureFunction('kindIs', [s('map'), dict({})])).toEqual(s('true'));
    expect(structureFunction('dig', [s('a'), s('b'), s('d'), dict({ a: dict({ b: s('v') }) })])).toEqual(s('v'));
    expect(structureFunction('dig', [s('a'), s('z'), s('d'), dict({ a: dict({}) })])).toEqual(s('d'));
    expect(structureFunction('len', [list(s('a'))])).toEqual(s('1'));
    expect(structureFunction('int', [s('8080')])).toEqual(s('8080'));
    expect(structureFunction('gt', [s('2'), s('1')])).toEqual(s('true'));
  });
});

describe('fromTreeDeep', () => {
  it('copies a values tree into maps and lists whose values keep their .Values paths', () => {
    const tree = parseYamlTrees('image: {repository: r, tag: ~}\nlist: [a]', 'values.yaml').documents[0];
    const data = fromTreeDeep(tree, '');
    expect(data).toMatchObject({ kind: 'dict', path: '' });
    const image = data.kind === 'dict' ? data.entries.get('image') : undefined;
    expect(image?.kind === 'dict' && image.entries.get('repository')).toEqual({
      kind: 'scalar',
      text: 'r',
      path: 'image.repository',
    });
    expect(image?.kind === 'dict' && image.entries.get('tag')).toEqual({ kind: 'missing', path: 'image.tag' });
  });
});
