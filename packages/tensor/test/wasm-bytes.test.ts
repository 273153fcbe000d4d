// The WebAssembly kernels ship as generated TypeScript (src/wasm/kernels-wasm.ts). This checks
// that the checked-in file is exactly what the AssemblyScript sources compile to today, so a
// change to assembly/ cannot be committed without its bytes.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildModule, GENERATED_MODULE } from '../scripts/build-wasm.js';

it('the shipped kernels module is what assembly/ compiles to (else: pnpm --filter @typedlearn/tensor build:wasm)', async () => {
  const shipped = readFileSync(new URL(`../${GENERATED_MODULE}`, import.meta.url), 'utf8');
  expect(await buildModule()).toBe(shipped);
}, 120_000);
