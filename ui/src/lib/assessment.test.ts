import { describe, expect, it } from 'vitest';
import type { Risk, ServiceInput } from './bindings';
import { sameServiceInput } from './assessment';

const risk = (owner?: string): Risk => ({
  dimension: 'availability',
  description: 'Ledger unavailable at month end',
  inherent: { likelihood: 3, impact: 3 },
  treatment: 'mitigate',
  controls: '',
  residual: { likelihood: 2, impact: 3 },
  ...(owner === undefined ? {} : { owner }),
});
const input = (...risks: Risk[]): ServiceInput => ({ risks, requirements: [], standard_contractual_clauses: false, transfer_impact_assessment: false });

describe('sameServiceInput', () => {
  it('reads a risk saved without an owner as the form that had an empty owner', () => {
    expect(sameServiceInput(input(risk('')), input(risk()))).toBe(true);
  });

  it('does not depend on the order of the keys', () => {
    const reordered = { transfer_impact_assessment: false, standard_contractual_clauses: false, requirements: [], risks: [risk('')] };
    expect(sameServiceInput(input(risk('')), reordered)).toBe(true);
  });

  it('sees every change the officer makes', () => {
    expect(sameServiceInput(input(risk('Karin Ek')), input(risk()))).toBe(false);
    expect(sameServiceInput(input(risk('')), input({ ...risk(''), residual: { likelihood: 1, impact: 3 } }))).toBe(false);
    expect(sameServiceInput(input(risk('')), input(risk(''), risk('')))).toBe(false);
    expect(sameServiceInput(input(risk('')), null)).toBe(false);
    expect(sameServiceInput(undefined, null)).toBe(true);
  });
});
