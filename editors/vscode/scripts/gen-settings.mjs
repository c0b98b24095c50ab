// Writes package.json's `contributes.configuration` from the single source of shipshape's
// editor settings, ../settings.schema.json: its title and properties, copied. The schema's rule
// and category enumerations are generated from the rule folders by the repository's tidy test
// (`UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy`, which runs this script too).
//   node scripts/gen-settings.mjs          rewrite package.json
//   node scripts/gen-settings.mjs --check  exit 1 when package.json is out of date (run by `npm test`)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXT = path.resolve(here, '..');
export const SCHEMA = path.resolve(EXT, '../settings.schema.json');
export const RULES = path.resolve(EXT, '../../server/shipshape-core/rules');
export const SEVERITIES = ['off', 'hint', 'info', 'warning', 'error'];

/** The rule ids of the rule folders: `rules/<kind>/<id>/rule.scm`. */
export function ruleFolderIds(root = RULES) {
  const ids = [];
  for (const kind of fs.readdirSync(root, { withFileTypes: true })) {
    if (!kind.isDirectory()) continue;
    for (const rule of fs.readdirSync(path.join(root, kind.name), { withFileTypes: true })) {
      if (rule.isDirectory() && fs.existsSync(path.join(root, kind.name, rule.name, 'rule.scm'))) {
        ids.push(rule.name);
      }
    }
  }
  return ids.sort();
}

export function configuration(schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'))) {
  return { title: schema.title, properties: structuredClone(schema.properties) };
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
