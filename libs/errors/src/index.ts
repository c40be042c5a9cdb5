export { DockyardError, errorChain, hasCode, systemErrorCode, type DockyardErrorOptions } from './dockyard-error';
