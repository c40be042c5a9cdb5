import type { Finding } from './finding';
import { imagesInTemplate } from './template-images';
import { isTemplated } from './values-images';
import { isTreeMap, Leaf, type Tree } from './yaml-tree';
import { parseYamlTrees } from './yaml-tree';

/**
 * Images in plain Kubernetes manifests: every `image` key with a string value, wherever it sits
 * (containers, initContainers, ephemeralContainers, CronJob job templates, custom resources).
 * Files that are not valid YAML (e.g. `.tmpl` with template syntax) fall back to a line scan.
 */
export function imagesInManifest(file: string, text: string): Finding[] {
  const parsed = parseYamlTrees(text, file);
  if (parsed.errors.length > 0) return imagesInTemplate(file, text, { values: undefined, chart: { name: '' } });
  const findings: Finding[] = [];
  for (const doc of parsed.documents) collect(doc, findings);
  return findings;
}

function collect(tree: Tree, out: Finding[]): void {
  if (Array.isArray(tree)) {
    for (const item of tree) collect(item, out);
  } else if (isTreeMap(tree)) {
    for (const [key, value] of Object.entries(tree)) {
      if (key === 'image' && value instanceof Leaf) {
        const text = value.text.trim();
        if (text !== '' && !isTemplated(text)) out.push({ text, source: { file: value.file, keyPath: value.keyPath, line: value.line } });
      } else {
        collect(value, out);
      }
    }
  }
}
