#!/usr/bin/env node
// The `typedlearn` executable. It stands outside dist/ so that a package manager can link it
// before the build has run (in a checkout, `pnpm install` links it, then builds dist/).
import '../dist/bin.js';
