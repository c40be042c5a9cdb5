/** Names RFC 2606/6761 reserve for documentation and tests: they never resolve, so images there cannot be read. */
export function isReservedHost(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').toLowerCase();
  return /(^|\.)(example\.(com|net|org)|example|invalid|test)$/.test(host);
}
