import type { Command } from '../command';
import { validateCommand } from './validate';

/** Every verb of `dockyard`, in the order `--help` lists them. */
export const commands: Command[] = [validateCommand];
