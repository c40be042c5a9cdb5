import { relative, resolve } from 'node:path';
import {
  verifyImage,
  verifySignedFile,
  type ResourceDescriptor,
  type SlsaProvenance,
  type Statement,
} from '@dockyard/attest';
import { DockyardError } from '@dockyard/errors';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { imageArgument, imageRegistryHelp, imageRegistryOptions, verificationKey } from './signing-key';

const usage = `Usage: dockyard verify --key PUB FILE [--signature SIGFILE]
       dockyard verify --key PUB docker://HOST/REPO:TAG [registry options]

Checks a signed bundle offline with the Sigstore project's own verifier (@sigstore/verify): the
signature in <FILE>.sigstore.json (or SIGFILE) must verify with the public key PUB (PEM), and the
statement it signs must name FILE's sha256. Then prints the provenance it carries: the builder and
every material (project files, git tags and commits, chart versions, image digests). Exit 1 when the
file is unsigned, signed with another key, or changed after signing.

${optionList([
  ['--key PUB', 'the public key the release was signed with (PEM, ECDSA P-256 or Ed25519)'],
  ['--signature SIGFILE', 'the Sigstore bundle, when it is not beside FILE as FILE.sigstore.json'],
])}

An image is checked through its referrers (the registry's referrers API, else the sha256-<hex> tag):
a Sigstore bundle among them must verify with PUB and sign the digest the tag points to now.
${optionList(imageRegistryHelp)}`;

function material(m: ResourceDescriptor): string {
  const digest = Object.entries(m.digest ?? {})
    .map(([alg, value]) => `${alg}:${value}`)
    .join(' ');
  const uri = m.uri && m.uri !== m.name ? ` ${m.uri}` : '';
  return `  ${m.name ?? ''}${uri} ${digest}`.trimEnd();
}

/** Verifies FILE against its signature with the public key at `keyFile`; a DockyardError says why not. */
export async function verifyFileSignature(
  file: string,
  keyFile: string | undefined,
  signature?: string,
): Promise<Verified> {
  const key = await verificationKey(keyFile);
  return verifySignedFile(resolve(file), key, signature ? resolve(signature) : undefined);
}

/** `message (hint)`: what an engine's DockyardError says, worded for the command line. */
export function described(err: unknown): string {
  return err instanceof DockyardError && err.hint ? `${err.message}\n  ${err.hint}` : (err as Error).message;
}

type Verified = { keyId: string; sha256: string; statement: Statement<SlsaProvenance> };

export const verifyCommand: Command = {
  name: 'verify',
  usage,
  options: { key: { type: 'string' }, signature: { type: 'string' }, ...imageRegistryOptions },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`name one FILE to verify\n\n${usage}`);
    const [file] = positionals as [string];
    let verified: Verified;
    let what = relative(process.cwd(), resolve(file)) || file;
    try {
      const image = await imageArgument(file, values);
      if (image) {
        const checked = await verifyImage(image, await verificationKey(values.key as string | undefined));
        verified = { ...checked, sha256: checked.digest.slice(7) };
        what = `${checked.image} (referrers: ${checked.path}${checked.sbom ? ', with an SBOM' : ''})`;
      } else
        verified = await verifyFileSignature(
          file,
          values.key as string | undefined,
          values.signature as string | undefined,
        );
    } catch (err) {
      if (err instanceof UsageError) throw err;
      console.error(`dockyard verify: ${described(err)}`);
      return 1;
    }
    const { predicate } = verified.statement;
    const builder = Object.entries(predicate.runDetails.builder.version)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ');
    console.log(`${what}: signature OK (key ${verified.keyId.slice(0, 16)}, sha256 ${verified.sha256})`);
    console.log(
      `provenance: built by ${builder} (${predicate.runDetails.builder.id}), ${predicate.buildDefinition.buildType}`,
    );
    console.log(`materials:`);
    for (const m of predicate.buildDefinition.resolvedDependencies) console.log(material(m));
    return 0;
  },
};
