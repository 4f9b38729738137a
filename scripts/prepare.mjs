#!/usr/bin/env node
// `npm install` runs this (the `prepare` script) so that `npx policybot …` works right after install.
// It compiles src/ → dist/ with the project's TypeScript. An install without devDependencies
// (`npm ci --omit=dev`) has no compiler: then an existing dist/ is kept, or it says how to build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = null;
}
if (!tsc) {
  if (!existsSync('dist/cli/main.js')) {
    console.warn(
      'policybot: TypeScript is not installed, so dist/ was not built; run `npm install` (with devDependencies) and `npm run build`.',
    );
  }
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
