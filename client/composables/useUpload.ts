import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { ApiError } from '#common/api';
import { HttpError } from '../api/http';
import type { UploadProgress } from '../api/upload';

export type UploadPhase = 'idle' | 'uploading' | 'processing' | 'done' | 'failed';

export interface UploadHooks {
  onProgress: (p: UploadProgress) => void;
  onSent: () => void;
  signal: AbortSignal;
}

/**
 * One-shot upload state for a component: phase, bytes sent of total, the reply or the server's error.
 * `run` does the request (see api/upload.ts) with the hooks given; an upload still running when the
 * component goes away is aborted.
 */
export function useUpload<T>() {
  const phase = ref<UploadPhase>('idle');
  const loaded = ref(0);
  const total = ref(0);
  const result = shallowRef<T | null>(null);
  const error = shallowRef<(ApiError & { status: number }) | null>(null);
  const percent = computed(() => (total.value > 0 ? Math.min(100, Math.floor((loaded.value / total.value) * 100)) : 0));
  const busy = computed(() => phase.value === 'uploading' || phase.value === 'processing');
  let controller: AbortController | null = null;

  async function start(run: (hooks: UploadHooks) => Promise<T>, size: number): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    phase.value = 'uploading';
    loaded.value = 0;
    total.value = size;
    result.value = null;
    error.value = null;
    try {
      const reply = await run({
        onProgress: (p) => {
          loaded.value = p.loaded;
          total.value = p.total;
        },
        onSent: () => {
          if (controller === own) phase.value = 'processing';
        },
        signal: own.signal,
      });
      if (controller !== own) return;
      result.value = reply;
      phase.value = 'done';
    } catch (err) {
      if (controller !== own) return;
      if (err instanceof DOMException && err.name === 'AbortError') {
        phase.value = 'idle';
        return;
      }
      error.value =
        err instanceof HttpError
          ? { status: err.status, ...err.error }
          : { status: 0, code: 'client/error', message: err instanceof Error ? err.message : String(err) };
      phase.value = 'failed';
    } finally {
      if (controller === own) controller = null;
    }
  }

  function cancel(): void {
    controller?.abort();
  }

  function reset(): void {
    cancel();
    phase.value = 'idle';
    loaded.value = 0;
    total.value = 0;
    result.value = null;
    error.value = null;
  }

  onScopeDispose(cancel);

  return { phase, loaded, total, percent, busy, result, error, start, cancel, reset };
}
