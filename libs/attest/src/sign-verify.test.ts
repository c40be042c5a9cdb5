import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@dockyard/errors';
import { loadSigningKey, loadVerificationKey, type SigningKey } from './keys';
import { releaseProvenance } from './provenance';
import { signatureFileOf, signStatement } from './sign';
import { verifySignedFile } from './verify';

function pair(kind: 'ec' | 'ed25519') {
  const { privateKey, publicKey } =
    kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    private: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    public: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: Error) => err,
  );
}

describe('signing and verifying a file (Sigstore bundle, DSSE, offline)', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attest-unit-'));
    file = join(dir, 'demo-v1.tar.gz');
    await writeFile(file, 'the release bytes');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function signWith(key: SigningKey, target = file): Promise<void> {
    const sha256 = createHash('sha256')
      .update(await readFile(target))
      .digest('hex');
    const statement = releaseProvenance(
      { name: 'demo-v1.tar.gz', sha256 },
      { name: 'demo-v1', images: [], sources: [], files: [] },
    );
    await writeFile(signatureFileOf(target), JSON.stringify(await signStatement(statement, key)));
  }

  for (const kind of ['ec', 'ed25519'] as const) {
    it(`verifies a ${kind} signature with its public key and refuses another key`, async () => {
      const keys = pair(kind);
      const signing = loadSigningKey(keys.private, 'signing.pem');
      expect(signing.algorithm).toBe(kind === 'ec' ? 'ecdsa-p256' : 'ed25519');
      await signWith(signing);
      const verified = await verifySignedFile(file, loadVerificationKey(keys.public, 'pub.pem'));
      expect(verified.keyId).toBe(signing.keyId);
      expect(verified.statement.subject[0]!.name).toBe('demo-v1.tar.gz');
      expect(verified.statement.predicate.runDetails.builder.version).toHaveProperty('dockyard');

      const other = await refusal(verifySignedFile(file, loadVerificationKey(pair(kind).public, 'other.pem')));
      expect(hasCode(other, 'attest.signature-invalid')).toBe(true);
      expect(other.message).toContain(`${file} was not signed with other.pem`);
    });
  }

  it('refuses a file changed after signing, naming both digests', async () => {
    const keys = pair('ed25519');
    await signWith(loadSigningKey(keys.private, 'k'));
    const changed = join(dir, 'changed.tar.gz');
    await writeFile(changed, 'the release bytez');
    await writeFile(signatureFileOf(changed), await readFile(signatureFileOf(file)));
    const err = await refusal(verifySignedFile(changed, loadVerificationKey(keys.public, 'pub.pem')));
    expect(hasCode(err, 'attest.digest-mismatch')).toBe(true);
    expect(err.message).toContain(`${changed} is not what was signed`);
  });

  it('refuses a statement edited inside a valid-looking signature file', async () => {
    const keys = pair('ec');
    await signWith(loadSigningKey(keys.private, 'k'));
    const bundle = JSON.parse(await readFile(signatureFileOf(file), 'utf8'));
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    statement.predicate.buildDefinition.externalParameters.release = 'something-else';
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    await writeFile(signatureFileOf(file), JSON.stringify(bundle));
    const err = await refusal(verifySignedFile(file, loadVerificationKey(keys.public, 'pub.pem')));
    expect(hasCode(err, 'attest.signature-invalid')).toBe(true);
    expect(err.message).toContain('does not verify with pub.pem');
  });

  it('says a file without a signature beside it is not signed', async () => {
    const lone = join(dir, 'lone.tar');
    await writeFile(lone, 'x');
    const err = await refusal(verifySignedFile(lone, loadVerificationKey(pair('ec').public, 'pub.pem')));
    expect(hasCode(err, 'attest.unsigned')).toBe(true);
    expect(err.message).toBe(`${lone} is not signed: there is no lone.tar.sigstore.json beside it`);
  });

  it('refuses keys it does not sign with, and never prints a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => loadSigningKey(rsa, 'rsa.pem')).toThrow(
      'rsa.pem holds a rsa key; signing takes ECDSA P-256 or Ed25519 keys',
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => loadSigningKey(p384, 'p384.pem')).toThrow('p384.pem holds an EC key on secp384r1');
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXRoaW5n\n-----END PRIVATE KEY-----\n';
    let message = '';
    try {
      loadSigningKey(garbage, 'env DOCKYARD_KEY');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^env DOCKYARD_KEY does not hold a PEM private key that can be read/);
    expect(message).not.toContain('c2VjcmV0');
    expect(() => loadVerificationKey(pair('ec').private, 'priv.pem')).toThrow('priv.pem holds a private key');
  });

  it('reads an encrypted private key with its passphrase, and says when it is missing', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
      .toString();
    expect(loadSigningKey(pem, 'k.pem', 'open sesame').algorithm).toBe('ed25519');
    expect(() => loadSigningKey(pem, 'k.pem')).toThrow(
      'k.pem holds an encrypted private key and no passphrase was given',
    );
  });
});
