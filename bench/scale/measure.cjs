#!/usr/bin/env node
require('../launch.cjs')(__dirname, 'measure.ts', { buildCli: true });
