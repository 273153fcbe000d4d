/**
 * The entry point of every pool worker (a Node worker thread or a browser module Web Worker):
 * receives {@link TaskRequest}s, runs each task with {@link runTask} on the kernels backend the
 * request names (or imports the modules of the tasks to preload) and posts one
 * {@link TaskReply} per request.
 */
import { setBackend } from './backend.js';
import { serializeError, type TaskReply, type TaskRequest } from './pool-protocol.js';
import { isNode, loadTask, runTask } from './task.js';

type Post = (reply: TaskReply) => void;

async function handle(request: TaskRequest, post: Post): Promise<void> {
  let reply: TaskReply;
  try {
    let output: unknown;
    if ('preload' in request) {
      await Promise.all(request.preload.map(loadTask));
    } else {
      setBackend(request.backend);
      output = await runTask(request.task, request.input);
    }
    reply = { id: request.id, ok: true, output };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(error) };
  }
  try {
    post(reply);
  } catch (error) {
    // The output could not be cloned (a function, a class instance with private state, ...).
    post({ id: request.id, ok: false, error: serializeError(error) });
  }
}

if (isNode()) {
  const { parentPort } = await import('node:worker_threads');
  if (parentPort === null) throw new Error('pool-worker must run as a worker thread');
  const port = parentPort;
  port.on('message', (request: TaskRequest) => {
    void handle(request, (reply) => port.postMessage(reply));
  });
} else {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<TaskRequest>) => void) | null;
    postMessage(message: unknown): void;
  };
  scope.onmessage = (event) => {
    void handle(event.data, (reply) => scope.postMessage(reply));
  };
}
