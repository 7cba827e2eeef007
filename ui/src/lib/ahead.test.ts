import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { askOverviewAhead, overviewData } = await import('./ahead');

const asked = () => invoke.mock.calls.map((c) => (c[1] as { command: string }).command);

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation((_: string, { command }: { command: string }) => Promise.resolve({ command, n: invoke.mock.calls.length }));
  vi.useRealTimers();
});

describe('the overview asked for ahead', () => {
  it('is taken once by the page, which asks nothing more', async () => {
    askOverviewAhead();
    expect(asked()).toEqual(['overview', 'current_rule_set']);
    const [overview] = await overviewData();
    expect(overview).toEqual({ command: 'overview', n: 1 });
    expect(asked()).toHaveLength(2);
    // Taken once: the page shown again asks again.
    const [again] = await overviewData();
    expect(again).toEqual({ command: 'overview', n: 3 });
  });

  it('is asked for again when the page comes later than just after the sign-in', async () => {
    vi.useFakeTimers();
    askOverviewAhead();
    vi.advanceTimersByTime(6000);
    const [overview] = await overviewData();
    expect(overview).toEqual({ command: 'overview', n: 3 });
  });

  it('leaves a refusal for the page to show', async () => {
    invoke.mockRejectedValue({ code: 'not_signed_in', message: 'Sign in first.', language: 'en' });
    askOverviewAhead();
    await expect(overviewData()).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});
