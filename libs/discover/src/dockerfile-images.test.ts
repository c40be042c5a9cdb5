import { describe, expect, it } from 'vitest';
import { imagesInDockerfile } from './dockerfile-images';

describe('imagesInDockerfile', () => {
  it('lists base images with ARG defaults, skipping scratch and earlier stages', () => {
    const text = [
      'ARG BASE=debian:bookworm',
      'ARG GO="1.21"',
      'FROM golang:${GO}-alpine AS build',
      'FROM --platform=$BUILDPLATFORM \\',
      '  ${BASE} AS run',
      'FROM build AS test',
      'FROM scratch',
    ].join('\n');
    expect(imagesInDockerfile('Dockerfile', text).map((f) => [f.text, f.source.line])).toEqual([
      ['golang:1.21-alpine', 3],
      ['debian:bookworm', 4],
    ]);
  });

  it('reads what a line scanner gets wrong: comments inside continuations, ${X:-default}, a lowercase from', () => {
    const text = [
      'ARG REGISTRY',
      'from \\',
      '# a comment inside the instruction',
      '  ${REGISTRY:-quay.io}/acme/base:1 as base',
      'FROM base',
    ].join('\n');
    expect(imagesInDockerfile('Kubefile', text).map((f) => [f.text, f.source.line])).toEqual([
      ['quay.io/acme/base:1', 2],
    ]);
  });
});
