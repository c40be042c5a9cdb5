import { bundleFromJSON } from '@sigstore/bundle';
import { DockyardError } from '@dockyard/errors';
import { getManifest, headManifest, type RegistryConnection } from '@dockyard/oci';
import type { SigningKey, VerificationKey } from './keys';
import { releaseProvenance, type SlsaProvenance, type Statement } from './provenance';
import { attachArtifact, fetchArtifact, listReferrers, type ReferrersPath, type SubjectDescriptor } from './referrers';
import { sortPackages, type InstalledPackage } from './package-db';
import { releaseSbom, SBOM_MEDIA_TYPE } from './sbom';
import { signStatement } from './sign';
import type { ReleaseContents } from './subject';
import { signedDigests, verifyStatementBundle } from './verify';

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface ImageAt {
  conn: RegistryConnection;
  repository: string;
  /** A tag or a digest. */
  reference: string;
}

function named(image: ImageAt): string {
  const at = image.reference.startsWith('sha256:') ? `@${image.reference}` : `:${image.reference}`;
  return `${image.conn.registry}/${image.repository}${at}`;
}

async function subjectOf(image: ImageAt): Promise<SubjectDescriptor & { platforms: string[] }> {
  const head = await headManifest(image.conn, image.repository, image.reference);
  if (!head) throw new DockyardError(`${named(image)} is not in the registry`, { code: 'attest.image-missing' });
  const manifest = await getManifest(image.conn, image.repository, head.digest);
  const children =
    (
      JSON.parse(manifest.bytes.toString('utf8')) as {
        manifests?: { platform?: { os: string; architecture: string; variant?: string } }[];
      }
    ).manifests ?? [];
  const platforms = children
    .map((c) => c.platform)
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p.os !== 'unknown')
    .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'))
    .sort();
  return { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length, platforms };
}

function imageContents(
  image: ImageAt,
  subject: SubjectDescriptor & { platforms: string[] },
  packages: InstalledPackage[],
): ReleaseContents {
  const repository = `${image.conn.registry}/${image.repository}`;
  const tag = image.reference.startsWith('sha256:') ? undefined : image.reference;
  return {
    name: repository,
    ...(tag ? { version: tag } : {}),
    images: [
      {
        name: tag ? `${repository}:${tag}` : repository,
        digest: subject.digest,
        mediaType: subject.mediaType,
        platforms: subject.platforms,
        location: repository,
      },
    ],
    sources: [],
    files: [],
    ...(packages.length ? { packages } : {}),
  };
}

export interface SignedImage {
  image: string;
  digest: string;
  sbom: { digest: string; path: ReferrersPath };
  signature: { digest: string; path: ReferrersPath };
}

/**
 * Attaches an image's CycloneDX SBOM and a Sigstore bundle signing its manifest digest (an in-toto statement with
 * SLSA provenance) to the image as OCI referrers. `packages`: what the image's own package databases list, when
 * the caller has its layers at hand (imagePackages).
 */
export async function signImage(
  image: ImageAt,
  key: SigningKey,
  options: { packages?: InstalledPackage[] } = {},
): Promise<SignedImage> {
  const subject = await subjectOf(image);
  const contents = imageContents(image, subject, sortPackages(options.packages ?? []));
  const sbom = await attachArtifact(image.conn, image.repository, subject, {
    artifactType: SBOM_MEDIA_TYPE,
    mediaType: SBOM_MEDIA_TYPE,
    bytes: releaseSbom(contents),
  });
  const statement = releaseProvenance({ name: contents.name, sha256: subject.digest.slice(7) }, contents);
  // An ECDSA signature differs each time: signing again what this key already signed would pile up referrers on
  // every re-publish, so a bundle by this key over the same statement is kept.
  const existing = await signatureBy(image, subject, key, statement);
  if (existing) return { image: named(image), digest: subject.digest, sbom, signature: existing };
  const bundle = await signStatement(statement, key);
  const signature = await attachArtifact(image.conn, image.repository, subject, {
    artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    bytes: Buffer.from(JSON.stringify(bundle)),
  });
  return { image: named(image), digest: subject.digest, sbom, signature };
}

/** The referrer holding a Sigstore bundle by `key` over exactly `statement`, if the image has one. */
async function signatureBy(
  image: ImageAt,
  subject: SubjectDescriptor,
  key: SigningKey,
  statement: Statement<SlsaProvenance>,
): Promise<{ digest: string; path: ReferrersPath } | undefined> {
  const { referrers, path } = await listReferrers(
    image.conn,
    image.repository,
    subject.digest,
    SIGSTORE_BUNDLE_MEDIA_TYPE,
  );
  const verification: VerificationKey = {
    where: 'the signing key',
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    keyId: key.keyId,
  };
  const wanted = JSON.stringify(statement);
  for (const referrer of referrers) {
    try {
      const bytes = await fetchArtifact(image.conn, image.repository, referrer.digest);
      const signed = verifyStatementBundle(bundleFromJSON(JSON.parse(bytes.toString('utf8'))), verification, '', '');
      if (JSON.stringify(signed) === wanted) return { digest: referrer.digest, path };
    } catch {
      // Another key's signature, or another statement: not this one.
    }
  }
  return undefined;
}

export interface VerifiedImage {
  image: string;
  digest: string;
  keyId: string;
  statement: Statement<SlsaProvenance>;
  path: ReferrersPath;
  /** Whether an SBOM referrer is attached too. */
  sbom: boolean;
}

/**
 * Checks that a Sigstore bundle among the image's referrers verifies with `key` (@sigstore/verify, offline) and signs
 * the digest the reference points to now. A changed manifest has another digest, which nothing signed.
 */
export async function verifyImage(image: ImageAt, key: VerificationKey): Promise<VerifiedImage> {
  const subject = await subjectOf(image);
  const what = `${named(image)} (${subject.digest})`;
  const { referrers, path } = await listReferrers(
    image.conn,
    image.repository,
    subject.digest,
    SIGSTORE_BUNDLE_MEDIA_TYPE,
  );
  if (!referrers.length)
    throw new DockyardError(`${what} is not signed: no Sigstore bundle refers to it`, {
      code: 'attest.unsigned',
      hint: 'sign the image after pushing it; a re-pushed or changed manifest has a new digest and needs a new signature',
    });
  let failure: unknown;
  for (const referrer of referrers) {
    try {
      const bytes = await fetchArtifact(image.conn, image.repository, referrer.digest);
      const statement = verifyStatementBundle(
        bundleFromJSON(JSON.parse(bytes.toString('utf8'))),
        key,
        what,
        `referrer ${referrer.digest}`,
      );
      if (!signedDigests(statement).includes(subject.digest.slice(7)))
        throw new DockyardError(`${what}: referrer ${referrer.digest} signs another digest`, {
          code: 'attest.digest-mismatch',
        });
      const sbom =
        (await listReferrers(image.conn, image.repository, subject.digest, SBOM_MEDIA_TYPE)).referrers.length > 0;
      return { image: named(image), digest: subject.digest, keyId: key.keyId, statement, path, sbom };
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}
