import { describe, expect, it } from 'vitest';
import { describeError, toAppError, withTimeout } from './errors';

describe('errors', () => {
  it('keeps the shell\'s { code, message } and adds a hint for known codes', () => {
    expect(toAppError({ code: 'http_status', message: 'the server answered 404 Not Found' })).toEqual({
      code: 'http_status',
      message: 'the server answered 404 Not Found',
    });
    expect(describeError({ code: 'http_status', message: 'the server answered 404 Not Found' })).toBe(
      'The site answered with an error. (the server answered 404 Not Found)',
    );
    expect(describeError({ code: 'database', message: 'disk I/O error' })).toBe('disk I/O error');
    expect(describeError('boom')).toBe('boom');
    expect(describeError(new Error('bad'))).toBe('bad');
    expect(describeError(undefined)).toBe('Something went wrong.');
  });
  it('ends a pending call with a timeout error', async () => {
    const never = new Promise<number>(() => {});
    await expect(withTimeout(never, 10, 'Clipping')).rejects.toEqual({
      code: 'timeout',
      message: 'Clipping did not finish within 0 s.',
    });
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject({ code: 'x', message: 'y' }), 1000)).rejects.toEqual({ code: 'x', message: 'y' });
  });
});
