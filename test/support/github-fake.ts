import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A comment as the fake stored it. */
export interface PostedComment {
  repository: string;
  issue: number;
  body: string;
}

export interface FakeGitHub {
  /** What to pass as GITHUB_API_URL. */
  api: string;
  comments: PostedComment[];
  /** Every request as `METHOD path status`, for asserting what was (not) called. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * An in-process stand-in for api.github.com's issue comments endpoint, since GitHub cannot be reached here.
 * It checks what GitHub checks: a bearer (or `token`) Authorization header with a known token (401 "Bad
 * credentials"), a User-Agent (403), the path `POST /repos/{owner}/{repo}/issues/{number}/comments` for a
 * repository it knows (404), a JSON body with a string `body` of at most 65,536 characters (422); a good
 * request gets 201 with the comment's html_url, as GitHub answers.
 */
export async function startFakeGitHub(options: { token: string; repositories: string[] }): Promise<FakeGitHub> {
  const comments: PostedComment[] = [];
  const requests: string[] = [];
  const send = (res: ServerResponse, req: IncomingMessage, status: number, json: unknown) => {
    requests.push(`${req.method} ${req.url} ${status}`);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(json));
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const auth = req.headers.authorization ?? '';
    const token = /^(?:Bearer|token) (.+)$/.exec(auth)?.[1];
    if (!req.headers['user-agent'])
      return send(res, req, 403, {
        message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
      });
    if (token !== options.token) return send(res, req, 401, { message: 'Bad credentials' });
    const match = /^\/repos\/([\w.-]+\/[\w.-]+)\/issues\/(\d+)\/comments$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match || !options.repositories.includes(match[1]!))
      return send(res, req, 404, { message: 'Not Found' });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, req, 400, { message: 'Problems parsing JSON' });
    }
    const text = (body as { body?: unknown })?.body;
    if (typeof text !== 'string' || !text.length || text.length > 65_536)
      return send(res, req, 422, { message: 'Validation Failed', errors: [{ field: 'body', code: 'invalid' }] });
    comments.push({ repository: match[1]!, issue: Number(match[2]), body: text });
    const id = comments.length;
    return send(res, req, 201, {
      id,
      body: text,
      html_url: `https://github.com/${match[1]}/issues/${match[2]}#issuecomment-${id}`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: `http://127.0.0.1:${port}`,
    comments,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
