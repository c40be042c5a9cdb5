import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { bundleFromJSON, isBundleWithDsseEnvelope, type Bundle } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { DockyardError } from '@dockyard/errors';
import { sha256File } from './file-digest';
import type { VerificationKey } from './keys';
import {
  IN_TOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_TYPE,
  STATEMENT_TYPE,
  type SlsaProvenance,
  type Statement,
} from './provenance';
import { signatureFileOf } from './sign';

export interface VerifiedFile {
  file: string;
  sha256: string;
  /** The id (sha256 of the public key) the signature verified with. */
  keyId: string;
  statement: Statement<SlsaProvenance>;
}

/**
 * Trust in exactly one public key and nothing else: no certificate authority, transparency log or timestamp
 * authority is consulted, so verification is fully offline. A keyless bundle (Fulcio certificate, Rekor entry)
 * would need Sigstore's trusted root and an identity policy instead; that is not this path.
 */
function trustOnly(key: VerificationKey): TrustMaterial {
  return toTrustMaterial(
    {
      mediaType: '',
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    } as unknown as Parameters<typeof toTrustMaterial>[0],
    () => ({ publicKey: key.publicKey, validFor: () => true }),
  );
}

async function readSignature(file: string, signatureFile: string): Promise<Bundle> {
  let text: string;
  try {
    text = await readFile(signatureFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DockyardError(`${file} is not signed: there is no ${basename(signatureFile)} beside it`, {
        code: 'attest.unsigned',
        hint: 'sign it where it is built, and hand the signature over with it',
        cause: err,
      });
    throw new DockyardError(`cannot read ${signatureFile}`, { code: 'attest.signature-unreadable', cause: err });
  }
  try {
    return bundleFromJSON(JSON.parse(text));
  } catch (err) {
    throw new DockyardError(`${signatureFile} is not a Sigstore bundle: ${(err as Error).message}`, {
      code: 'attest.signature-unreadable',
      cause: err,
    });
  }
}

function hintOf(bundle: Bundle): string | undefined {
  const content = bundle.verificationMaterial.content;
  return content.$case === 'publicKey' ? content.publicKey.hint : undefined;
}

/** Verifies a Sigstore bundle with one public key and returns the SLSA provenance statement it signs. */
export function verifyStatementBundle(
  bundle: Bundle,
  key: VerificationKey,
  what: string,
  signatureName: string,
): Statement<SlsaProvenance> {
  if (!isBundleWithDsseEnvelope(bundle) || bundle.content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new DockyardError(
      `${signatureName} does not sign an in-toto statement (a DSSE envelope of ${IN_TOTO_PAYLOAD_TYPE})`,
      {
        code: 'attest.signature-unreadable',
      },
    );
  try {
    new Verifier(trustOnly(key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
      toSignedEntity(bundle),
    );
  } catch (err) {
    const hint = hintOf(bundle);
    throw new DockyardError(
      hint && hint !== key.keyId
        ? `${what} was not signed with ${key.where}: its signature names key ${hint.slice(0, 16)}, ${key.where} is key ${key.keyId.slice(0, 16)}`
        : `${what}: the signature in ${signatureName} does not verify with ${key.where} (${(err as Error).message})`,
      {
        code: 'attest.signature-invalid',
        hint: 'get the public key of whoever made the release, or a correctly signed copy',
        cause: err,
      },
    );
  }
  const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement<SlsaProvenance>;
  if (statement._type !== STATEMENT_TYPE || statement.predicateType !== SLSA_PROVENANCE_TYPE)
    throw new DockyardError(
      `${signatureName} signs a ${statement.predicateType ?? 'statement'} of another kind than Dockyard's provenance`,
      {
        code: 'attest.signature-unreadable',
      },
    );
  return statement;
}

/** The sha256 digests (hex) a statement's subjects name. */
export function signedDigests(statement: Statement): string[] {
  return (statement.subject ?? []).map((s) => s.digest?.sha256).filter((d): d is string => Boolean(d));
}

/**
 * Checks a file against the Sigstore bundle beside it (`<file>.sigstore.json`) with one public key, offline:
 * `@sigstore/verify` checks the DSSE signature over the in-toto statement, then the statement's subject must be
 * this file's sha256. Every refusal is a DockyardError naming the file and why.
 */
export async function verifySignedFile(
  file: string,
  key: VerificationKey,
  signatureFile = signatureFileOf(file),
): Promise<VerifiedFile> {
  const bundle = await readSignature(file, signatureFile);
  const statement = verifyStatementBundle(bundle, key, file, basename(signatureFile));
  const sha256 = await sha256File(file);
  const signed = signedDigests(statement);
  if (!signed.includes(sha256))
    throw new DockyardError(
      `${file} is not what was signed: its sha256 is ${sha256}, the signature covers ${signed.join(', ') || 'no sha256'} (${statement.subject?.[0]?.name ?? 'unnamed'}); it changed after signing`,
      { code: 'attest.digest-mismatch', hint: 'get an intact copy of the release; never install this one' },
    );
  return { file, sha256, keyId: key.keyId, statement };
}
