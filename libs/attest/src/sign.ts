import { sign as cryptoSign } from 'node:crypto';
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, type Signer } from '@sigstore/sign';
import type { SigningKey } from './keys';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from './provenance';

/** The name of a file's signature beside it. */
export function signatureFileOf(file: string): string {
  return `${file}.sigstore.json`;
}

/**
 * A Sigstore Signer over a key pair held here: ECDSA P-256 signs SHA-256 of the data (ASN.1 DER), Ed25519 the
 * data itself. The bundle carries the public key's id as its hint, never a certificate: keyless signing (a Fulcio
 * certificate, a Rekor entry) plugs in as another Signer and Witness of the same builder.
 */
export function keySigner(key: SigningKey): Signer {
  return {
    sign: async (data) => ({
      signature: cryptoSign(key.algorithm === 'ed25519' ? null : 'sha256', data, key.privateKey),
      key: { $case: 'publicKey', publicKey: key.publicKeyPem, hint: key.keyId },
    }),
  };
}

/** Signs an in-toto statement as a DSSE envelope inside a Sigstore bundle (v0.3, public-key material, no witnesses). */
export async function signStatement(statement: Statement, key: SigningKey): Promise<SerializedBundle> {
  const builder = new DSSEBundleBuilder({ signer: keySigner(key), witnesses: [] });
  const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: IN_TOTO_PAYLOAD_TYPE });
  return bundleToJSON(bundle);
}
