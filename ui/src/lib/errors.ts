import type { AppError } from './types';

/** Reporter-facing wording for the core's error codes; the core's message follows. */
const HINTS: Record<string, string> = {
  invalid_url: 'That is not a web address Redline can fetch.',
  unsupported_scheme: 'Only http and https addresses can be clipped.',
  timeout: 'No answer in time.',
  too_large: 'The page is larger than Redline accepts.',
  too_many_redirects: 'The site kept redirecting.',
  redirect_scheme: 'The site redirected somewhere Redline will not follow.',
  http_status: 'The site answered with an error.',
  unsupported_type: 'That address is not an article (HTML or text).',
  truncated: 'The page stopped arriving half-way.',
  network: 'The site could not be reached.',
  invalid: 'That was not accepted.',
  not_same_source: 'Only two versions of the same story can be compared.',
  not_found: 'It is no longer in the library.',
  extract_failed: 'No readable article was found on that page.',
  io: 'The file could not be read.',
  export_failed: 'The export failed.',
};

/** Turns anything thrown by invoke() (or our own timeout) into `{ code, message }`. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as { code: unknown; message: unknown };
    return { code: String(o.code), message: String(o.message) };
  }
  if (e instanceof Error) return { code: 'ui', message: e.message };
  if (typeof e === 'string') return { code: 'unknown', message: e };
  return { code: 'unknown', message: 'Something went wrong.' };
}

/** One line for a person: a hint by code (when known) and the core's message. */
export function describeError(e: unknown): string {
  const err = toAppError(e);
  const hint = HINTS[err.code] ?? '';
  if (!hint) return err.message;
  if (!err.message || err.message === hint) return hint;
  return `${hint} (${err.message})`;
}

/** Rejects with a `timeout` error when `p` has not settled after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what = 'The request'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(
      () => reject({ code: 'timeout', message: `${what} did not finish within ${Math.round(ms / 1000)} s.` }),
      ms,
    );
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
