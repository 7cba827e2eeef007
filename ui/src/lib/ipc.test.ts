import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { call, errorCodes, isAppError, toAppError } = await import('./ipc');
const en = await (await import('./i18n/translate')).loadCatalogue('en');

beforeEach(() => {
  invoke.mockReset();
});

describe('call', () => {
  it('invokes the command with its arguments and returns the result', async () => {
    invoke.mockResolvedValue({ language: 'sv' });
    await expect(call('set_language', { language: 'sv' })).resolves.toEqual({ language: 'sv' });
    expect(invoke).toHaveBeenCalledWith('call', { command: 'set_language', args: { language: 'sv' } });
  });

  it('passes the core error through unchanged, field included', async () => {
    const error = { code: 'validation', message: 'is required', language: 'en', field: 'legal_name' };
    invoke.mockRejectedValue(error);
    await expect(call('app_info')).rejects.toEqual(error);
  });

  it('turns any other rejection into an internal AppError', async () => {
    invoke.mockRejectedValue('command app_info not found');
    await expect(call('app_info')).rejects.toEqual({ code: 'internal', message: 'command app_info not found', language: 'en' });
  });
});

describe('isAppError', () => {
  it('accepts only the core error shape with a known code', () => {
    expect(isAppError({ code: 'io', message: 'x', language: 'sv' })).toBe(true);
    expect(isAppError({ code: 'io', message: 'x' })).toBe(false);
    expect(isAppError({ code: 'nonsense', message: 'x', language: 'en' })).toBe(false);
    expect(isAppError({ code: 'io' })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });

  it('wraps thrown Errors with their message', () => {
    expect(toAppError(new Error('boom'))).toEqual({ code: 'internal', message: 'boom', language: 'en' });
  });
});

it('has a translated message for every error code', () => {
  expect(errorCodes.length).toBeGreaterThan(0);
  for (const code of errorCodes) {
    expect(en).toHaveProperty(`error.${code}`);
  }
});
