import { execFile } from 'node:child_process';
import {
  createHash,
  createPrivateKey,
  randomUUID,
  sign,
  timingSafeEqual,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onProcessExit } from './exit-cleanup';
import { ensureTools } from './require-tool';
import { removeTempDir, tempDir } from './tmp';

const run = promisify(execFile);
const tokenLifetimeSeconds = 300;

/** How the token server answers; tests switch it between copies with setBehaviour. */
export interface TokenBehaviour {
  /** Answer `{access_token, expires_in, issued_at}` without the `token` field (OAuth2 style). */
  accessTokenOnly?: boolean;
  /**
   * Sign the first token of each scope set with an `exp` far beyond the registry's 60 s leeway,
   * while `expires_in` promises 300 s: every cached token expires once, mid-run.
   */
  expireFirstTokenOfEachScopeSet?: boolean;
}

/** One GET /token the server answered; the password is never kept. */
export interface TokenRequest {
  service: string | null;
  /** The `scope` parameters in the order sent. */
  scopes: string[];
  /** The Basic-auth user name, if any was sent. */
  user?: string;
  status: number;
  /** The JWT was signed already expired (see TokenBehaviour.expireFirstTokenOfEachScopeSet). */
  expired: boolean;
}

export interface TokenServerOptions {
  /** The only user the server knows. */
  username: string;
  password: string;
  /** The `service` the registry names in its challenge and the token's `aud` (default "dockyard-test-registry"). */
  service?: string;
  /** The token's `iss` (default "dockyard-test-token-issuer"). */
  issuer?: string;
}

export interface RunningTokenServer {
  /** "http://127.0.0.1:PORT/token", the registry's `realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the self-signed certificate of the signing key: the registry's `rootcertbundle`. */
  rootCertBundle: string;
  /** Every /token request served, oldest first; tests may clear it with `requests.length = 0`. */
  requests: TokenRequest[];
  setBehaviour(behaviour: TokenBehaviour): void;
  /** Signs a token for these scopes directly (no request recorded), e.g. to seed a registry. */
  signToken(scopes: string[]): string;
  stop(): Promise<void>;
}

interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

/** `repository:app/web:pull,push` → type, name, actions (the name itself may hold no colon). */
function parseScope(scope: string): ResourceActions | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * The key ID distribution 2.8 (through libtrust) computes for each certificate in its
 * rootcertbundle: SHA-256 of the DER public key, first 240 bits, base32, in groups of four.
 */
function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of digest) bits += byte.toString(2).padStart(8, '0');
  let encoded = '';
  for (let i = 0; i < bits.length; i += 5) encoded += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return encoded.match(/.{4}/g)!.join(':');
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * A token server for distribution's `auth: token` (Docker's token authentication spec):
 * GET /token?service=…&scope=… with Basic credentials answers an RS256 JWT granting every
 * requested action to its one user. The signing key's certificate is made with openssl, and
 * the JWT header names it by its libtrust key ID, the way distribution 2.8 looks keys up.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  await ensureTools(['openssl']);
  const service = options.service ?? 'dockyard-test-registry';
  const issuer = options.issuer ?? 'dockyard-test-token-issuer';
  const runDir = await tempDir('token');
  const forgetExitRemoval = onProcessExit(() => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }));
  const rootCertBundle = join(runDir, 'issuer.crt');
  const keyFile = join(runDir, 'issuer.key');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      rootCertBundle,
      '-days',
      '2',
      '-subj',
      `/CN=${issuer}`,
    ]);
  } catch (error) {
    await removeTempDir(runDir);
    forgetExitRemoval();
    throw new Error(
      `token server: openssl could not make a signing certificate: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`,
      { cause: error },
    );
  }
  const privateKey = createPrivateKey(await readFile(keyFile));
  const keyId = libtrustKeyId(new X509Certificate(await readFile(rootCertBundle)).publicKey);

  let behaviour: TokenBehaviour = {};
  const expiredScopeSets = new Set<string>();
  const requests: TokenRequest[] = [];

  const signToken = (scopes: string[], subject = 'harness', expired = false): string => {
    const now = Math.floor(Date.now() / 1000);
    // 3600 s back is far beyond distribution's 60 s leeway for exp.
    const issuedAt = expired ? now - 3600 - tokenLifetimeSeconds : now;
    const access = scopes.map(parseScope).filter((scope): scope is ResourceActions => scope !== undefined);
    const header = { typ: 'JWT', alg: 'RS256', kid: keyId };
    const claims = {
      iss: issuer,
      sub: subject,
      aud: service,
      exp: issuedAt + tokenLifetimeSeconds,
      nbf: issuedAt - 1,
      iat: issuedAt,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), privateKey))}`;
  };

  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/token') {
      answer(404, { details: 'only GET /token is served here' });
      return;
    }
    const credentials = basicCredentials(req.headers.authorization);
    const record: TokenRequest = {
      service: url.searchParams.get('service'),
      scopes: url.searchParams.getAll('scope'),
      user: credentials?.user,
      status: 401,
      expired: false,
    };
    requests.push(record);
    if (!credentials || credentials.user !== options.username || !sameSecret(credentials.password, options.password)) {
      answer(401, { details: 'incorrect username or password' }, { 'www-authenticate': `Basic realm="${issuer}"` });
      return;
    }
    if (record.service !== service) {
      record.status = 400;
      answer(400, {
        details: `unknown service ${JSON.stringify(record.service)}; this server issues tokens for ${service}`,
      });
      return;
    }
    const scopeSet = [...record.scopes].sort().join(' ');
    const expired = Boolean(behaviour.expireFirstTokenOfEachScopeSet) && !expiredScopeSets.has(scopeSet);
    if (expired) expiredScopeSets.add(scopeSet);
    const token = signToken(record.scopes, credentials.user, expired);
    record.status = 200;
    record.expired = expired;
    const granted = { access_token: token, expires_in: tokenLifetimeSeconds, issued_at: new Date().toISOString() };
    answer(200, behaviour.accessTokenOnly ? granted : { token, ...granted });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await removeTempDir(runDir);
    forgetExitRemoval();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle,
    requests,
    setBehaviour: (next) => {
      behaviour = { ...next };
      expiredScopeSets.clear();
    },
    signToken: (scopes) => signToken(scopes),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await removeTempDir(runDir);
      forgetExitRemoval();
    },
  };
}
