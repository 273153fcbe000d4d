// The entry of each worker process of `typedlearn serve --workers N` (see cluster-primary.ts):
// it takes its settings from the primary, runs startDigitServer on the shared port, and
// stops when the primary says so. If the primary dies, Node's cluster ends the worker.
import {
  isTypedlearnMessage,
  tellPrimary,
  type PrimaryMessage,
  type WorkerSettings,
} from './cluster-messages.js';
import { ClusterMetricsClient } from './cluster-metrics.js';
import { startDigitServer, type DigitServer } from './server.js';

let server: DigitServer | undefined;
const clusterMetrics = new ClusterMetricsClient();

// Ctrl-C in a terminal signals the whole process group: the primary alone decides how to stop.
process.on('SIGINT', () => undefined).on('SIGTERM', () => undefined);
process.on('message', (message: PrimaryMessage) => {
  if (isTypedlearnMessage(message)) void answer(message);
});
tellPrimary({ type: 'typedlearn:waiting' });

async function answer(message: PrimaryMessage): Promise<void> {
  switch (message.type) {
    case 'typedlearn:start':
      await start(message.settings);
      break;
    case 'typedlearn:stop':
      await server?.close();
      process.exit(0);
      break;
    case 'typedlearn:cut-off':
      server?.server.closeAllConnections();
      break;
    case 'typedlearn:metrics-snapshot-request':
      tellPrimary({
        type: 'typedlearn:metrics-snapshot',
        id: message.id,
        snapshot: (await server?.metrics.registry.getMetricsAsJSON()) ?? [],
      });
      break;
    case 'typedlearn:metrics-sum':
      clusterMetrics.settle(message);
      break;
  }
}

async function start(settings: WorkerSettings): Promise<void> {
  try {
    server = await startDigitServer({ ...settings, metricsText: () => clusterMetrics.ask() });
    tellPrimary({ type: 'typedlearn:listening', url: server.url });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    tellPrimary({ type: 'typedlearn:failed', message, code }, () => process.exit(1));
  }
}
