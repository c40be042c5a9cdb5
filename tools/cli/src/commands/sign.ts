import { statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import {
  readReleaseContents,
  releaseProvenance,
  sha256File,
  signatureFileOf,
  signImage,
  signStatement,
} from '@dockyard/attest';
import { bundleOutput, describedBundle, readBundleSbom } from '@dockyard/bundle';
import { writeFileAtomic } from '@dockyard/files';
import { ContentStore } from '@dockyard/oci';
import { MissingOutputError } from '@dockyard/kinds';
import type { SigningSpec } from '@dockyard/project-spec';
import type { Command } from '../command';
import { optionList } from '../help';
import { onlyProject, projectArg } from '../project-arg';
import {
  imageArgument,
  imageRegistryHelp,
  imageRegistryOptions,
  signingKey,
  signingKeyHelp,
  signingKeyOptions,
} from './signing-key';

const usage = `Usage: dockyard sign [PROJECT] [--key FILE | --key-env NAME] [--passphrase-env NAME]
       dockyard sign FILE --key FILE | --key-env NAME
       dockyard sign docker://HOST/REPO:TAG --key FILE | --key-env NAME [registry options]

Signs a bundle: writes <bundle>.sigstore.json beside it, a Sigstore bundle holding a DSSE envelope of an
in-toto statement whose subject is the bundle's sha256 and whose predicate is its SLSA v1 provenance
(built by this dockyard, from the project.yaml and lock digests, git tags and commits, chart versions
and image digests its sbom.cdx.json lists). No network: no certificate, no transparency log.
\`dockyard verify --key PUB FILE\` checks it where the bundle is installed.

${optionList([
  [
    'PROJECT',
    'a Release or Plugin: its project.yaml, its folder or its name (default: the current folder); signs the bundle its bundle target wrote in dist/<project>/bundle/, with the key its sign: section names',
  ],
  ['FILE', 'a bundle file (.tar, .tar.gz, .tar.zst), signed with --key or --key-env'],
  [
    'docker://HOST/REPO:TAG',
    'an image in a registry: its CycloneDX SBOM and a Sigstore bundle signing its manifest digest are attached as OCI referrers (artifactType application/vnd.cyclonedx+json and application/vnd.dev.sigstore.bundle.v0.3+json): through the referrers API where the registry has one, else under the tag sha256-<digest hex> (the tag schema fallback)',
  ],
  ...signingKeyHelp,
  ...imageRegistryHelp,
])}`;

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd)$/;

interface Target {
  file: string;
  project?: { dir: string; file: string; sign?: SigningSpec };
}

async function target(arg: string | undefined): Promise<Target> {
  if (arg && ARCHIVE.test(arg) && statSync(arg, { throwIfNoEntry: false })?.isFile()) return { file: resolve(arg) };
  const project = await projectArg(arg, ['Release', 'Plugin']);
  const output = await describedBundle(bundleOutput(project.workspaceRoot, project.spec), ContentStore.default());
  if (!statSync(output, { throwIfNoEntry: false })?.isFile())
    throw new MissingOutputError(output, project.spec.name, 'bundle');
  return { file: output, project: { dir: project.dir, file: project.file, sign: project.spec.sign } };
}

export const signCommand: Command = {
  name: 'sign',
  usage,
  project: true,
  options: { ...signingKeyOptions, ...imageRegistryOptions },
  async run(args) {
    const image = await imageArgument(onlyProject(args), args.values);
    if (image) {
      const signed = await signImage(image, await signingKey(args.values));
      console.log(`signed ${signed.image} (${signed.digest})`);
      console.log(`  sbom: ${signed.sbom.digest} (${signed.sbom.path})`);
      console.log(`  signature: ${signed.signature.digest} (${signed.signature.path})`);
      return 0;
    }
    const { file, project } = await target(onlyProject(args));
    const key = await signingKey(args.values, project);
    const where = relative(process.cwd(), file) || file;
    const sbom = await readBundleSbom(file);
    if (!sbom)
      throw new Error(
        `${where} carries no sbom.cdx.json, which the provenance is stated from: bundle it again with this dockyard`,
      );
    const sha256 = await sha256File(file);
    const statement = releaseProvenance(
      { name: basename(file), sha256 },
      readReleaseContents(sbom, `${where}: sbom.cdx.json`),
    );
    const signature = signatureFileOf(file);
    await writeFileAtomic(signature, `${JSON.stringify(await signStatement(statement, key), null, 2)}\n`);
    console.log(
      `signed ${where} (sha256 ${sha256}) with ${key.algorithm} key ${key.keyId.slice(0, 16)}: ${relative(process.cwd(), signature) || signature}`,
    );
    console.log(
      `provenance: SLSA v1, ${statement.predicate.buildDefinition.resolvedDependencies.length} materials (project files, pinned sources, image digests)`,
    );
    return 0;
  },
};
