import { header, readBody, type HttpResponse } from '../transport/types';
import { registryError } from './errors';
import { pullScope, repoUrl, type RegistryConnection } from './registry';

function nextPage(response: HttpResponse): URL | undefined {
  const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(response, 'link') ?? '');
  return link ? new URL(link[1]!, response.url) : undefined;
}

async function collectPages<T>(
  conn: RegistryConnection,
  first: URL,
  scopes: string[],
  pick: (body: unknown) => T[],
  action: string,
): Promise<T[]> {
  const items: T[] = [];
  for (let url: URL | undefined = first; url;) {
    const response = await conn.transport({ method: 'GET', url, scopes });
    if (response.status !== 200) throw await registryError(response, action, conn.anonymous);
    items.push(...pick(JSON.parse((await readBody(response)).toString('utf8'))));
    url = nextPage(response);
  }
  return items;
}

/** Every tag of a repository, following `Link: <…>; rel="next"` pages. */
export function listTags(conn: RegistryConnection, repository: string, pageSize = 1000): Promise<string[]> {
  const url = repoUrl(conn, repository, 'tags/list');
  url.searchParams.set('n', String(pageSize));
  return collectPages(
    conn,
    url,
    [pullScope(repository)],
    (b) => (b as { tags?: string[] | null }).tags ?? [],
    `list tags of ${repository}`,
  );
}

/** Every repository in the registry catalog, following pagination. */
export function listRepositories(conn: RegistryConnection, pageSize = 1000): Promise<string[]> {
  const url = new URL('_catalog', conn.base);
  url.searchParams.set('n', String(pageSize));
  return collectPages(
    conn,
    url,
    ['registry:catalog:*'],
    (b) => (b as { repositories?: string[] }).repositories ?? [],
    'list the catalog',
  );
}
