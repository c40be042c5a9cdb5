import { describe, expect, it } from 'vitest';
import { defineSitesIn, definesIn, mentionedValuesPaths, parse } from './template-parser';

describe('parse', () => {
  it('nests if/else if/else, with and range blocks, and keeps define bodies out of the tree', () => {
    const nodes = parse(
      '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}{{ range .l }}x{{ end }}{{ define "d" }}D{{ end }}{{ $v := 1 }}',
    );
    expect(nodes).toEqual([
      {
        type: 'if',
        line: 1,
        branches: [
          { condition: '.a', body: [{ type: 'text', text: 'A' }] },
          { condition: '.b', body: [{ type: 'text', text: 'B' }] },
          { condition: undefined, body: [{ type: 'text', text: 'C' }] },
        ],
      },
      { type: 'range', pipeline: '.l', body: [{ type: 'text', text: 'x' }], line: 1 },
      { type: 'define' },
      { type: 'output', pipeline: '$v := 1', line: 1 },
    ]);
  });

  it('is undefined for blocks that do not balance', () => {
    expect(parse('{{ if .a }}x')).toBeUndefined();
    expect(parse('x{{ end }}')).toBeUndefined();
    expect(parse('{{ else }}')).toBeUndefined();
  });
});

describe('definesIn', () => {
  it('finds each define with its nested blocks, trimmed as its markers say', () => {
    const defines = definesIn('{{- define "a" -}}\n  {{ if .x }}y{{ end }}\n{{- end -}}\n{{ define "b" }}B{{ end }}');
    expect([...defines]).toEqual([
      ['a', '{{ if .x }}y{{ end }}'],
      ['b', 'B'],
    ]);
    expect([...defineSitesIn('\n{{- define "a" -}}\n\n  {{ .x }}\n{{- end -}}')]).toEqual([
      ['a', { body: '{{ .x }}', line: 4 }],
    ]);
  });
});

describe('mentionedValuesPaths', () => {
  it('lists the .Values paths a text mentions, from . and from $', () => {
    expect(mentionedValuesPaths('{{ .Values.image.repo }}:{{ $.Values.tag | default .Chart.AppVersion }}')).toEqual([
      'image.repo',
      'tag',
    ]);
  });
});
