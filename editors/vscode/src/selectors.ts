// Which documents the shipshape server is started for and sent. Selected by file name first:
// compose files and `.env` files have no reliable language id (it depends on which other
// extensions are installed), so the language ids are a second, additive net.
import type { DocumentFilter } from 'vscode-languageclient/node';

/** Glob patterns (VS Code syntax, matched against the whole path) with what they select. */
export const FILE_PATTERNS: ReadonlyArray<[pattern: string, what: string]> = [
  ['**/*.{py,pyi}', 'Python modules'],
  ['**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.dockerfile,*.containerfile}', 'Dockerfiles'],
  ['**/{compose,docker-compose}.{yml,yaml}', 'compose files'],
  ['**/{compose,docker-compose}[.-]*.{yml,yaml}', 'compose overrides (compose.prod.yaml, docker-compose-dev.yml)'],
  ['**/{.env,.env.*,*.env}', 'dotenv files (.env, .env.example, prod.env)'],
  ['**/*requirements*.{txt,in}', 'requirements files (requirements.txt, dev-requirements.in)'],
  ['**/requirements/*.{txt,in}', 'requirements folders (requirements/base.txt)'],
  ['**/constraints.txt', 'pip constraints'],
  ['**/pyproject.toml', 'pyproject.toml'],
  ['**/shipshape.toml', 'shipshape configuration'],
  ['**/{railway.json,railway.toml}', 'Railway service files'],
  ['**/fly.toml', 'Fly.io app files'],
  ['**/Procfile', 'Procfiles (Heroku, Dokku, Render)'],
  ['**/{.gitignore,.dockerignore}', 'ignore files'],
  ['**/.github/workflows/*.{yml,yaml}', 'GitHub Actions workflows'],
];

/** Language ids that select a document whatever its name. */
export const LANGUAGE_IDS: ReadonlyArray<[id: string, what: string]> = [
  ['python', 'Python (built in)'],
  ['dockerfile', 'Dockerfile (built in)'],
  ['dockercompose', 'compose (built in since VS Code 1.88 for compose*.yaml names; Docker extension)'],
  ['pip-requirements', 'requirements (Python extension)'],
  ['dotenv', 'dotenv (DotENV extensions)'],
];

export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = [];
  for (const [pattern] of FILE_PATTERNS) selector.push({ scheme: 'file', pattern });
  for (const [language] of LANGUAGE_IDS) selector.push({ scheme: 'file', language });
  // Unsaved buffers have no name to go by: Python and Dockerfiles only.
  selector.push({ scheme: 'untitled', language: 'python' }, { scheme: 'untitled', language: 'dockerfile' });
  return selector;
}
