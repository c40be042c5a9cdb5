import { describe, expect, it } from 'vitest';
import { changeTimeScript } from './ext4-writer';

describe('changeTimeScript', () => {
  it('sets the change time of the root and every path, quoted', () => {
    expect(changeTimeScript(['', 'etc/my file'], 1700000000)).toBe(
      'sif "/" ctime @1700000000\nsif "/" ctime_extra 0\nsif "/etc/my file" ctime @1700000000\nsif "/etc/my file" ctime_extra 0\n',
    );
  });

  it('refuses a name debugfs cannot quote, naming it', () => {
    expect(() => changeTimeScript(['etc/a"b'], 0)).toThrow(/\/etc\/a"b: a file name with a quote/);
  });
});
