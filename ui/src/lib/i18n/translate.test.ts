import { describe, expect, it } from 'vitest';
import { detectLanguage, loadCatalogue, translate } from './translate';

const en = await loadCatalogue('en');
const sv = await loadCatalogue('sv');
const catalogues = { en, sv };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogue', () => {
  it('has every English key in Swedish and no extra ones', () => {
    expect(Object.keys(sv).sort()).toEqual(Object.keys(en).sort());
  });

  it('has no empty message in either language', () => {
    for (const [language, catalogue] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.trim(), `${language} ${key}`).not.toBe('');
      }
    }
  });

  it('fills in, in Swedish, only values the English sentence has', () => {
    // A Swedish sentence of the core may leave out a value that exists only
    // in English (SQLite's own words, a reason written in English).
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const english = placeholders(en[key]);
      for (const name of placeholders(sv[key])) expect(english, key).toContain(name);
      if (!key.startsWith('message.')) expect(placeholders(sv[key]), key).toEqual(english);
    }
  });

  it('is really translated: Swedish navigation differs from English', () => {
    expect(sv['nav.suppliers']).toBe('Leverantörer');
    expect(sv['nav.overview']).not.toBe(en['nav.overview']);
  });
});

describe('translate', () => {
  it('fills placeholders and keeps Swedish characters', () => {
    expect(translate('sv', 'settings.database.schemaValue', { version: 1, supported: 2 })).toBe(
      '1 (den här versionen av Tillit stöder upp till 2)',
    );
  });

  it('leaves a placeholder without a value visible rather than dropping it', () => {
    expect(translate('en', 'settings.database.schemaValue', { version: 3 })).toBe(
      '3 (this version of Tillit supports up to {supported})',
    );
  });
});

describe('detectLanguage', () => {
  it('starts in Swedish when the system prefers Swedish', () => {
    expect(detectLanguage(['sv-SE', 'en-US'])).toBe('sv');
    expect(detectLanguage(['SV'])).toBe('sv');
  });

  it('takes the first supported language and falls back to English', () => {
    expect(detectLanguage(['de-DE', 'en-GB', 'sv-SE'])).toBe('en');
    expect(detectLanguage(['fi-FI'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });
});
