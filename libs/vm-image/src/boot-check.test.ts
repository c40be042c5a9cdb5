import { describe, expect, it } from 'vitest';
import { consoleFacts } from './boot-check';

describe('consoleFacts', () => {
  it('reads the marked lines, also behind escape sequences and with CR line ends', () => {
    const facts = consoleFacts(
      '\x1b[?7l\x1b[2JcDOCKYARD-CHECK user-data ran\r\nDOCKYARD-CHECK os-release VERSION="22.03 (LTS-SP1)"\r\nDOCKYARD-CHECK machine-id 5eb8\r\nDOCKYARD-CHECK end\r\n',
    );
    expect(facts.get('user-data')).toBe('ran');
    expect(facts.get('os-release')).toBe('VERSION="22.03 (LTS-SP1)"');
    expect(facts.get('machine-id')).toBe('5eb8');
    expect(facts.has('end')).toBe(true);
  });
});
