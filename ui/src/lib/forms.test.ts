import { describe, expect, it } from 'vitest';
import { errorSentence, errorsByField, sentence } from './forms';

describe('errorsByField', () => {
  it('finds each field error by its field', () => {
    const byField = errorsByField({
      code: 'validation',
      message: 'x',
      language: 'en',
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

describe('errorSentence', () => {
  it('shows the core sentence only in the language it is written in', () => {
    const swedish = { code: 'wrong_password' as const, message: 'Användarnamnet eller lösenordet är fel.', language: 'sv' as const };
    const english = { code: 'not_allowed' as const, message: 'the assessment has been decided already', language: 'en' as const };
    expect(errorSentence(swedish, 'sv')).toBe(swedish.message);
    expect(errorSentence(english, 'sv')).toBe('');
    expect(errorSentence(english, 'en')).toBe(english.message);
  });
});

describe('sentence', () => {
  it('writes a message beside a field as a sentence', () => {
    expect(sentence('is required')).toBe('Is required.');
    expect(sentence('556012-5791 has a wrong check digit')).toBe('556012-5791 has a wrong check digit.');
    expect(sentence('Obligatoriskt.')).toBe('Obligatoriskt.');
    expect(sentence('')).toBe('');
  });
});
