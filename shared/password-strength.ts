import type { OptionsType, ZxcvbnResult } from '@zxcvbn-ts/core';

/**
 * Password strength from zxcvbn-ts (a maintained port of Dropbox's estimator), the same for the
 * window's meter and main's check: one floor for the master password, the sync password and
 * every export or backup password, in the app and in the CLI. The estimator and its word lists
 * (~1 MB) load only when first needed.
 */

export type Check = (password: string) => ZxcvbnResult;

let loading: Promise<Check> | null = null;

/** Our own wording for the estimator's warning and suggestion keys. */
const TRANSLATIONS: NonNullable<OptionsType['translations']> = {
  warnings: {
    straightRow: 'Rows of keys next to each other are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated patterns like "abcabc" are easy to guess.',
    sequences: 'Sequences like "abc" or "123" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is one of the most used passwords.',
    topHundred: 'This is a very often used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is close to a commonly used password.',
    wordByItself: 'A single word is easy to guess.',
    namesByThemselves: 'Names on their own are easy to guess.',
    commonNames: 'Common names are easy to guess.',
    userInputs: 'Avoid words that describe you or this app.',
    pwned: 'This password has appeared in a data breach.',
  },
  suggestions: {
    l33t: 'Swapping letters for look-alike symbols (like "@" for "a") does not help much.',
    reverseWords: 'Spelling a common word backwards does not help much.',
    allUppercase: 'Capitalise some letters, not all of them.',
    capitalization: 'Capitalise more than the first letter.',
    dates: 'Leave out dates that belong to you.',
    recentYears: 'Leave out recent years.',
    associatedYears: 'Leave out years that belong to you.',
    sequences: 'Leave out common sequences.',
    repeated: 'Leave out repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change direction.',
    anotherWord: 'Add a few more words that are not common.',
    useWords: 'Use several words that do not belong together.',
    noNeed: 'Long passphrases of random words work well without symbols or digits.',
    pwned: 'Choose a password you have never used anywhere else.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};

export function loadStrengthChecker(): Promise<Check> {
  loading ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')])
    .then(([core, common]) => {
      const factory = new core.ZxcvbnFactory({
        translations: TRANSLATIONS,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary },
        useLevenshteinDistance: true,
      });
      return (password: string) => factory.check(password);
    })
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

/** The weakest score any new password is accepted with (0–4): "fair". */
export const MIN_PASSWORD_SCORE = 2;

const VERDICTS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

const EXPLANATIONS = [
  'Someone could guess this in moments.',
  'Someone could guess this quickly.',
  'Good enough, but a few more words would make it stronger.',
  'Hard to guess.',
  'Very hard to guess.',
] as const;

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  verdict: string;
  /** One or two sentences: how guessable it is and what would help. */
  sentence: string;
}

export function describeStrength(result: ZxcvbnResult): Strength {
  const score = result.score;
  const advice = [result.feedback.warning, result.feedback.suggestions[0]].filter(
    (text): text is string => typeof text === 'string' && text !== '',
  );
  const sentence = [EXPLANATIONS[score], ...(score < 3 ? advice : [])].join(' ');
  return { score, verdict: VERDICTS[score], sentence };
}
