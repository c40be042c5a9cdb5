import { redactUrl } from './redact-url';
import { SourceError } from './source-error';

/** GET a URL into memory; a non-2xx answer or a network failure is a SourceError naming the URL (without credentials). */
export async function httpGet(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new SourceError(
      redactUrl(`cannot reach ${url}: ${cause}`),
      'check the URL and that the server is up',
      undefined,
      err,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceError(
      `GET ${redactUrl(url)} answered ${response.status} ${response.statusText}`,
      response.status === 404 ? 'check the URL' : 'check access to the server',
    );
  }
  return Buffer.from(await response.arrayBuffer());
}
