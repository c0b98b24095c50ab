// Writes package.json's `contributes.configuration` from the single source of shipshape's
// editor settings, ../settings.schema.json, adding one completion entry per rule id of
// docs/rules-catalog.md under `shipshape.rules`.
//   node scripts/gen-settings.mjs          rewrite package.json
//   node scripts/gen-settings.mjs --check  exit 1 when package.json is out of date (run by `npm test`)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXT = path.resolve(here, '..');
export const SCHEMA = path.resolve(EXT, '../settings.schema.json');
export const CATALOG = path.resolve(EXT, '../../docs/rules-catalog.md');
export const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];

/** Rule ids and priorities from the catalog's tables: rows `| id | prio | cat | ... |`. */
export function catalogRules(text = fs.readFileSync(CATALOG, 'utf8')) {
  const rules = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*([a-z0-9]+(?:-[a-z0-9]+)+)\s*\|\s*(critical|high|medium|low)\s*\|\s*([a-z-]+)\s*\|/.exec(line);
    if (m) rules.push({ id: m[1], priority: m[2], category: m[3] });
  }
  return rules;
}

const DEFAULT_SEVERITY = { critical: 'error', high: 'warning', medium: 'info', low: 'hint' };

export function configuration(schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')), rules = catalogRules()) {
  const properties = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    const p = structuredClone(prop);
    if (key === 'shipshape.rules') {
      p.additionalProperties.enumDescriptions = [
        'Turn the rule off.', 'Show as a hint.', 'Show as information.', 'Show as a warning.', 'Show as an error.',
      ];
      p.properties = {};
      for (const r of [...rules].sort((a, b) => a.id.localeCompare(b.id))) {
        p.properties[r.id] = {
          type: 'string',
          enum: SEVERITIES,
          markdownDescription: `\`${r.id}\` (${r.category}; priority ${r.priority}, shown as ${DEFAULT_SEVERITY[r.priority]} by default).`,
        };
      }
    }
    properties[key] = p;
  }
  return { title: schema.title, properties };
}

export function generatedPackageJson(pkg) {
  return { ...pkg, contributes: { ...pkg.contributes, configuration: configuration() } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.join(EXT, 'package.json');
  const current = fs.readFileSync(file, 'utf8');
  const next = JSON.stringify(generatedPackageJson(JSON.parse(current)), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('package.json contributes.configuration is out of date: run `npm run gen-settings`');
      process.exit(1);
    }
  } else if (next !== current) {
    fs.writeFileSync(file, next);
    console.log('package.json: contributes.configuration regenerated');
  }
}
