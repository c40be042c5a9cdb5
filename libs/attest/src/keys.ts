import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { DockyardError } from '@dockyard/errors';

export type KeyAlgorithm = 'ecdsa-p256' | 'ed25519';

/** A private key that signs; the key itself never leaves this object (no message, log or output names its bytes). */
export interface SigningKey {
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key, SPKI PEM: what a Sigstore bundle carries a hint of and what verifiers are given. */
  publicKeyPem: string;
  /** sha256 of the public key's SPKI DER (hex): the hint in the Sigstore bundle, printed to tell keys apart. */
  keyId: string;
}

export interface VerificationKey {
  /** Where it was read (its file), for messages. */
  where: string;
  algorithm: KeyAlgorithm;
  publicKey: KeyObject;
  keyId: string;
}

function algorithmOf(key: KeyObject, where: string): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  const what =
    key.asymmetricKeyType === 'ec'
      ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve}`
      : `a ${key.asymmetricKeyType} key`;
  throw new DockyardError(`${where} holds ${what}; signing takes ECDSA P-256 or Ed25519 keys`, {
    code: 'attest.key-unsupported',
    hint: 'make one with `openssl genpkey -algorithm ed25519` or `openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt`',
  });
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Reads a PEM private key (PKCS#8, SEC1 or an encrypted PKCS#8 with its passphrase); `where` names its file or variable. */
export function loadSigningKey(pem: string | Buffer, where: string, passphrase?: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    // Node's message never quotes the key, but is kept out anyway: only its code says why.
    const code = (err as NodeJS.ErrnoException).code;
    const encrypted = /ENCRYPTED/.test(String(pem).slice(0, 64));
    throw new DockyardError(
      encrypted && passphrase === undefined
        ? `${where} holds an encrypted private key and no passphrase was given`
        : `${where} does not hold a PEM private key that can be read${code ? ` (${code})` : ''}`,
      { code: 'attest.key-unreadable', hint: 'give a PKCS#8 PEM private key (and its passphrase if it is encrypted)' },
    );
  }
  const algorithm = algorithmOf(privateKey, where);
  const publicKey = createPublicKey(privateKey);
  return {
    algorithm,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Reads a PEM public key (SPKI); `where` names its file. */
export function loadVerificationKey(pem: string | Buffer, where: string): VerificationKey {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(String(pem)))
    throw new DockyardError(`${where} holds a private key; verification takes the public key`, {
      code: 'attest.key-unreadable',
      hint: 'hand out the public half (`openssl pkey -pubout`) and keep the private key with the signer',
    });
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new DockyardError(`${where} does not hold a PEM public key`, {
      code: 'attest.key-unreadable',
      hint: 'give the public key the release was signed for (`openssl pkey -pubout` of the signing key)',
    });
  }
  return { where, algorithm: algorithmOf(publicKey, where), publicKey, keyId: keyIdOf(publicKey) };
}
