import { describe, expect, it } from 'vitest';
import {
  accountLabel,
  groupCode,
  maskCode,
  monogram,
  parseTags,
  secondsLeft,
} from '../../../renderer/src/lib/format';
import { brandKey, candidateKeys, foregroundFor } from '../../../renderer/src/lib/brand-icons';

describe('showing codes', () => {
  it('groups codes for reading and leaves Steam codes whole', () => {
    expect(groupCode('123456')).toBe('123 456');
    expect(groupCode('1234567')).toBe('123 4567');
    expect(groupCode('12345678')).toBe('1234 5678');
    expect(groupCode('123456789')).toBe('123 456 789');
    expect(groupCode('1234567890')).toBe('12345 67890');
    expect(groupCode('ABCDE')).toBe('ABCDE');
  });

  it('masks with dots in the same groups', () => {
    expect(maskCode('123456')).toBe('••• •••');
    expect(maskCode('ABCDE')).toBe('•••••');
  });

  it('counts whole seconds left, never below zero', () => {
    expect(secondsLeft(30_000, 5_000)).toBe(25);
    expect(secondsLeft(30_000, 5_001)).toBe(25);
    expect(secondsLeft(30_000, 4_999)).toBe(26);
    expect(secondsLeft(30_000, 31_000)).toBe(0);
  });
});

describe('naming accounts', () => {
  it('labels with issuer and account, or whichever exists', () => {
    expect(accountLabel('GitHub', 'alex')).toBe('GitHub alex');
    expect(accountLabel('', 'alex')).toBe('alex');
    expect(accountLabel('GitHub', ' ')).toBe('GitHub');
    expect(accountLabel('', '')).toBe('Unnamed account');
  });

  it('makes a monogram from the first letter or digit', () => {
    expect(monogram('github', 'x')).toBe('G');
    expect(monogram('', '@alex')).toBe('A');
    expect(monogram('', '')).toBe('?');
    expect(monogram('élan', '')).toBe('É');
  });

  it('parses comma-separated tags, trimming and dropping repeats in any case', () => {
    expect(parseTags(' work, personal ,,  Work ,two  words')).toEqual([
      'work',
      'personal',
      'two words',
    ]);
    expect(parseTags('')).toEqual([]);
  });
});

describe('brand icon matching', () => {
  it('normalises names the way Simple Icons titles are compared', () => {
    expect(brandKey('Amazon Web Services')).toBe('amazonwebservices');
    expect(brandKey('Proton Mail')).toBe('protonmail');
    expect(brandKey('Google+')).toBe('googleplus');
    expect(brandKey('Société Générale')).toBe('societegenerale');
  });

  it('tries the whole issuer, the part before a bracket, the first word, and a domain', () => {
    expect(candidateKeys('Google (Work)')).toEqual(['googlework', 'google']);
    expect(candidateKeys('github.com')).toEqual(['githubcom', 'github']);
    expect(candidateKeys('Microsoft Azure')).toEqual(['microsoftazure', 'microsoft']);
  });

  it('picks a glyph colour that reads on the brand colour', () => {
    expect(foregroundFor('#181717')).toBe('#ffffff');
    expect(foregroundFor('#ffdd00')).toBe('#111111');
    expect(foregroundFor('#4285f4')).toBe('#ffffff');
  });
});
