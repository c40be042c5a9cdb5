#!/usr/bin/env node
require('../launch.cjs')(__dirname, 'generate.ts');
