import { describe, expect, it } from 'vitest';
import { errorsByField, fieldMessage, validity } from './forms';

describe('errorsByField', () => {
  it('finds each field error by its field', () => {
    const byField = errorsByField({
      code: 'validation',
      message: 'x',
      field: 'legal_name',
      errors: [
        { field: 'legal_name', code: 'required', message: 'is required' },
        { field: 'lei', code: 'checksum', message: 'wrong check digits' },
      ],
    });
    expect(byField.lei?.code).toBe('checksum');
    expect(Object.keys(byField)).toEqual(['legal_name', 'lei']);
  });

  it('is empty without an error', () => {
    expect(errorsByField(null)).toEqual({});
  });
});

describe('fieldMessage', () => {
  const error = { field: 'registration_number', code: 'checksum' as const, message: '"556012-5791" has a wrong check digit' };
  it('keeps the precise English sentence of the core', () => {
    expect(fieldMessage(error, 'en')).toBe(error.message);
  });
  it('says it in Swedish by the code', () => {
    expect(fieldMessage(error, 'sv')).toBe('Kontrollsiffran stämmer inte.');
  });
});

describe('validity', () => {
  it('judges evidence on a date, both ends included', () => {
    expect(validity('2025-01-01', '2025-12-31', '2025-12-31')).toBe('valid');
    expect(validity('2025-01-01', '2025-12-31', '2026-01-01')).toBe('expired');
    expect(validity('2025-01-01', '2025-12-31', '2024-12-31')).toBe('notYet');
    expect(validity(null, null, '2025-06-01')).toBe('expired');
  });
});
