export { createProgram, runCli, EXIT } from './program.js';
