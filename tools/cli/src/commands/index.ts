import type { Command } from '../command';
import { validateCommand } from './validate';
import { copyCommand } from './copy';
import { syncCommand } from './sync';
import { resolveCommand } from './resolve';
import { collectCommand } from './collect';
import { imagesCommand } from './images';

/** Every verb of `dockyard`, in the order `--help` lists them. */
export const commands: Command[] = [validateCommand, syncCommand, copyCommand, resolveCommand, collectCommand, imagesCommand];
