// Builds the drawing page (HTML, CSS and the bundled script) into dist/web/, where the
// compiled `typedlearn serve` reads it: pnpm --filter @typedlearn/cli build:web
import { PREBUILT_DIR, writeWebDemo } from '../src/serve/web-demo.js';

const names = await writeWebDemo();
process.stdout.write(`wrote ${names.join(', ')} to ${PREBUILT_DIR}\n`);
