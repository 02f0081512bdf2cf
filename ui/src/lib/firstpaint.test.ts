import { describe, expect, it, vi } from 'vitest';
import { afterFirstPaint } from './firstpaint';

function fakeFrames() {
  const frames: FrameRequestCallback[] = [];
  const win = {
    requestAnimationFrame: (cb: FrameRequestCallback) => frames.push(cb),
    setTimeout: ((cb: () => void, ms: number) => setTimeout(cb, ms)) as unknown as Window['setTimeout'],
    clearTimeout: ((id: number) => clearTimeout(id)) as Window['clearTimeout'],
  };
  const tick = () => frames.splice(0).forEach((cb) => cb(0));
  return { win, tick };
}

describe('afterFirstPaint', () => {
  it('waits for the frame after the first one', async () => {
    vi.useFakeTimers();
    const { win, tick } = fakeFrames();
    let done = false;
    void afterFirstPaint(win as unknown as Window).then(() => (done = true));
    tick();
    await Promise.resolve();
    expect(done).toBe(false);
    tick();
    await Promise.resolve();
    expect(done).toBe(true);
    vi.useRealTimers();
  });

  it('gives up waiting after the cap when no frame comes (a hidden window)', async () => {
    vi.useFakeTimers();
    const { win } = fakeFrames();
    let done = false;
    void afterFirstPaint(win as unknown as Window, 200).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(199);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    vi.useRealTimers();
  });
});
