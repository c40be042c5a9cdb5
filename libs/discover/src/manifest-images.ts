import type { Finding } from './finding';
import { imagesInTemplate } from './template-images';
import { isTemplated } from './values-images';
import { isTreeMap, Leaf, leafText, type Tree } from './yaml-tree';
import { parseYamlTrees } from './yaml-tree';

/** API groups whose `image` fields name repositories to watch, not containers to run (Flux image automation). */
const NOT_A_WORKLOAD_GROUP = /^image\.toolkit\.fluxcd\.io\//;

/**
 * Images in plain Kubernetes manifests: every `image` key with a string value, wherever it sits
 * (containers, initContainers, ephemeralContainers, CronJob job templates, custom resources
 * that operators run), except in resources that only watch repositories. A placeholder left in
 * an image (`[[ registry_release ]]`, `{{ .Values.x }}`) is reported, not dropped in silence.
 * Files that are not valid YAML (e.g. `.tmpl` with template syntax) fall back to a line scan.
 */
export function imagesInManifest(file: string, text: string): Finding[] {
  const parsed = parseYamlTrees(text, file);
  if (parsed.errors.length > 0)
    return imagesInTemplate(file, text, { context: { values: undefined, chart: { name: '' }, defines: new Map() } });
  const findings: Finding[] = [];
  for (const doc of parsed.documents) {
    const apiVersion = isTreeMap(doc) ? leafText(doc, 'apiVersion') : undefined;
    if (apiVersion === undefined || !NOT_A_WORKLOAD_GROUP.test(apiVersion)) collect(doc, findings);
  }
  return findings;
}

function collect(tree: Tree, out: Finding[]): void {
  if (Array.isArray(tree)) {
    for (const item of tree) collect(item, out);
  } else if (isTreeMap(tree)) {
    for (const [key, value] of Object.entries(tree)) {
      if (key === 'image' && value instanceof Leaf) {
        const text = value.text.trim();
        const source = { file: value.file, keyPath: value.keyPath, line: value.line };
        if (text !== '')
          out.push({
            text,
            source,
            ...(isTemplated(text)
              ? { unresolved: 'it holds a placeholder or template expression that was not substituted' }
              : {}),
          });
      } else {
        collect(value, out);
      }
    }
  }
}
