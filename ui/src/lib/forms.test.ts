import { describe, expect, it } from 'vitest';
import { errorSentence, errorsByField, sentence, submitForm } from './forms';

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

describe('submitForm', () => {
  // A form as submitForm sees it: no field marked, attributes kept.
  function fakeForm() {
    const attributes = new Map<string, string>();
    const form = {
      querySelector: () => null,
      setAttribute: (name: string, value: string) => attributes.set(name, value),
      removeAttribute: (name: string) => attributes.delete(name),
    };
    return { form, attributes, submit: () => ({ preventDefault: () => undefined, currentTarget: form }) as unknown as SubmitEvent };
  }

  it('saves a form submitted twice one save after the other, the second after the first has answered', async () => {
    const { submit, attributes } = fakeForm();
    const order: string[] = [];
    let answerFirst!: () => void;
    const first = submitForm(submit(), async () => {
      order.push('first sent');
      await new Promise<void>((resolve) => (answerFirst = resolve));
      order.push('first answered');
    });
    const second = submitForm(submit(), async () => {
      order.push('second sent');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['first sent']);
    expect(attributes.get('aria-busy')).toBe('true');
    answerFirst();
    expect(await first).toBeNull();
    expect(await second).toBeNull();
    expect(order).toEqual(['first sent', 'first answered', 'second sent']);
    expect(attributes.has('aria-busy')).toBe(false);
  });

  it('still saves the second submit when the first is refused, and returns each its own answer', async () => {
    const { submit } = fakeForm();
    const refused = { code: 'stale', message: 'changed by someone else', language: 'en' };
    const first = submitForm(submit(), async () => {
      throw refused;
    });
    let sent = false;
    const second = submitForm(submit(), async () => {
      sent = true;
    });
    expect((await first)?.code).toBe('stale');
    expect(await second).toBeNull();
    expect(sent).toBe(true);
  });
});
