#!/usr/bin/env node
require('../launch.cjs')(__dirname, 'bench.ts', { buildCli: true });
