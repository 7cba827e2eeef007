import { describe, expect, it } from 'vitest';
import { catalogue, loadCatalogue, translate } from './translate';

// Each language's catalogue is loaded when it is first shown; this file
// loads them itself (its module state is its own).
describe('loading a catalogue', () => {
  it('refuses a language whose catalogue is not loaded yet, naming it', () => {
    expect(() => translate('sv', 'nav.suppliers')).toThrow(/sv catalogue/);
  });

  it('translates once loaded, and loads each language once', async () => {
    const first = await loadCatalogue('sv');
    expect(translate('sv', 'nav.suppliers')).toBe('Leverantörer');
    expect(await loadCatalogue('sv')).toBe(first);
    expect(catalogue('sv')).toBe(first);
    expect(() => catalogue('en')).toThrow(/en catalogue/);
  });
});
