import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatorFor } from './schemas';

describe('schema validators', () => {
  it('are generated once into the cache and keep verbose errors (the schema and data explain.ts words)', () => {
    const validate = validatorFor('CloudImage');
    expect(validate({ kind: 'CloudImage' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'required',
      schema: expect.any(Array),
      parentSchema: expect.any(Object),
    });
    const cached = readdirSync(join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'dockyard-schemas'));
    expect(cached.filter((name) => name.startsWith('CloudImage-') && name.endsWith('.cjs'))).toHaveLength(1);
    expect(validatorFor('CloudImage')).toBe(validate);
  });
});
