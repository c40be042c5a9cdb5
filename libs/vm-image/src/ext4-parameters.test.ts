import { describe, expect, it } from 'vitest';
import { parseExt4Parameters } from './ext4-parameters';

const dump = `Filesystem volume name:   rootfs
Filesystem UUID:          0f7c1a2e-6f0b-4f53-9d39-5b3f3b2a8a11
Filesystem features:      has_journal ext_attr resize_inode dir_index filetype needs_recovery extent 64bit flex_bg sparse_super
Block size:               4096
Inode size:	          256
Directory Hash Seed:      6d9e0a8a-3b5e-4d1e-9d7c-1b2a3c4d5e6f
`;

describe('parseExt4Parameters', () => {
  it('keeps the identity and the creation-time features, not the journal state', () => {
    expect(parseExt4Parameters(dump, 'root.img')).toEqual({
      uuid: '0f7c1a2e-6f0b-4f53-9d39-5b3f3b2a8a11',
      label: 'rootfs',
      hashSeed: '6d9e0a8a-3b5e-4d1e-9d7c-1b2a3c4d5e6f',
      blockSize: 4096,
      inodeSize: 256,
      features: [
        'has_journal',
        'ext_attr',
        'resize_inode',
        'dir_index',
        'filetype',
        'extent',
        '64bit',
        'flex_bg',
        'sparse_super',
      ],
    });
  });

  it('says when the partition holds no ext filesystem', () => {
    expect(() => parseExt4Parameters("Couldn't find valid filesystem superblock.", 'root.img')).toThrow(
      /root.img: the root filesystem states no "Filesystem UUID"/,
    );
  });
});
