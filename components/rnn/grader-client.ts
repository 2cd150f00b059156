// The page's handle on the grader worker: grade one network, hear progress and the verdict, cancel.
// The worker is gone once the verdict, an error or a cancel has come, whichever is first.
import type { GradeMessage, GradeRequest } from '../../workers/rnn-grade.worker.ts';

export type { GradeMessage };

/** Grades `request` in a worker; `listener` hears every message, an error last. */
export function startGrading(
  request: GradeRequest,
  listener: (message: GradeMessage) => void,
): { cancel(): void } {
  const worker = new Worker(new URL('../../workers/rnn-grade.worker.ts', import.meta.url), {
    type: 'module',
  });
  worker.onmessage = (event: MessageEvent<GradeMessage>) => {
    if (event.data.type !== 'progress') worker.terminate();
    listener(event.data);
  };
  worker.onerror = () => {
    worker.terminate();
    listener({
      type: 'error',
      message: 'The grader could not start in this browser. Reload the page and try again.',
    });
  };
  worker.postMessage(request);
  return { cancel: () => worker.terminate() };
}
