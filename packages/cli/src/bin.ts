#!/usr/bin/env node
// The `typedlearn` executable: run `typedlearn --help` for the commands.
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
