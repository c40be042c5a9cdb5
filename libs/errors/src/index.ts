export { DockyardError, errorChain, hasCode, type DockyardErrorOptions } from './dockyard-error';
