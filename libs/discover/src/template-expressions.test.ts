import { describe, expect, it } from 'vitest';
import { programScope, rootScope } from './template-evaluator';
import { evaluatePipeline } from './template-expressions';
import type { ChartContext } from './template-scope';
import { parseYamlTrees } from './yaml-tree';

const context: ChartContext = {
  values: parseYamlTrees('image: {repository: r, tag: "1.0"}\nempty: ""', 'values.yaml').documents[0],
  chart: { name: 'c', appVersion: '2.0' },
  defines: new Map(),
};

describe('evaluatePipeline', () => {
  it('pipes values through functions, with parenthesised pipelines and fields after them', () => {
    const scope = rootScope(context);
    expect(evaluatePipeline('.Values.image.tag | default .Chart.AppVersion | quote', scope)).toMatchObject({
      kind: 'scalar',
      text: '1.0',
      path: 'image.tag',
    });
    expect(evaluatePipeline('(dict "a" (list .Values.empty "x")).a', scope)).toMatchObject({ kind: 'list' });
    expect(evaluatePipeline('index (list "a" "b") 1', scope)).toEqual({ kind: 'scalar', text: 'b' });
    expect(evaluatePipeline('.Release.Name', scope)).toBeUndefined();
    expect(scope.trace.cannot).toBe('.Release');
  });

  it('in a program, carries an unknown through functions unless a chooser decides without it', () => {
    const scope = programScope(context, 'templates/x.yaml');
    expect(evaluatePipeline('printf "%s-%s" .Release.Name "x"', scope)).toMatchObject({
      kind: 'unknown',
      why: '.Release',
      at: 'templates/x.yaml:1',
    });
    expect(evaluatePipeline('default .Release.Name .Values.image.tag', scope)).toMatchObject({ text: '1.0' });
    expect(evaluatePipeline('or .Values.image.repository .Release.Name', scope)).toMatchObject({ text: 'r' });
    expect(evaluatePipeline('and .Values.empty .Release.Name', scope)).toMatchObject({ text: '' });
    expect(evaluatePipeline('get (dict "r" .Values.empty) "missing"', scope)).toEqual({ kind: 'scalar', text: '' });
    expect(evaluatePipeline('(fromJson (toJson (dict "a" .Values.image.repository))).a', scope)).toMatchObject({
      text: 'r',
    });
  });
});
