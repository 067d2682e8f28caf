/**
 * Electron accelerators ("CmdOrCtrl+Shift+K") for the global shortcut setting: checked here so
 * main never hands globalShortcut a string it would throw on, and built from key presses so
 * the settings screen can record one.
 */

const MODIFIERS = new Map<string, string>([
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['commandorcontrol', 'CmdOrCtrl'],
  ['cmdorctrl', 'CmdOrCtrl'],
  ['alt', 'Alt'],
  ['option', 'Alt'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Super'],
]);

const NAMED_KEYS = [
  'Plus',
  'Space',
  'Tab',
  'Backspace',
  'Delete',
  'Insert',
  'Return',
  'Enter',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Esc',
  'PrintScreen',
];
const PUNCTUATION = [...')!@#$%^&*(:;=<,_->.?/~`{][|\\}"\''];

function isKey(part: string): boolean {
  if (/^[A-Z0-9]$/i.test(part)) return true;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(part)) return true;
  if (/^num([0-9]|dec|add|sub|mult|div)$/.test(part)) return true;
  return NAMED_KEYS.includes(part) || PUNCTUATION.includes(part);
}

/** The default global shortcut: shows Chronokey's search from anywhere. */
export const DEFAULT_GLOBAL_SHORTCUT = 'CmdOrCtrl+Shift+K';

/**
 * Whether `value` is an accelerator fit for a global shortcut: one or more modifiers, at
 * least one of them not Shift (a plain or shifted key would steal typing), then one key.
 */
export function isGlobalAccelerator(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  const parts = value.split('+');
  // "CmdOrCtrl+Plus" is how Electron spells the plus key; a bare "+" at the end is not.
  if (parts.some((part) => part === '')) return false;
  const key = parts.at(-1)!;
  const modifiers = parts.slice(0, -1).map((part) => MODIFIERS.get(part.toLowerCase()));
  if (modifiers.length === 0 || modifiers.some((modifier) => modifier === undefined)) return false;
  if (new Set(modifiers).size !== modifiers.length) return false;
  if (modifiers.every((modifier) => modifier === 'Shift')) return false;
  return isKey(key);
}

/** What the settings screen records from a key press (a KeyboardEvent's fields). */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const CODE_KEYS: Record<string, string> = {
  Space: 'Space',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Enter: 'Return',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backquote: '`',
};

/**
 * Turns a key press into an accelerator, or null while only modifiers are held or when the
 * result could not be a global shortcut. The platform's main modifier (⌘ on macOS, Ctrl
 * elsewhere) becomes CmdOrCtrl so the setting means the same on every system.
 */
export function acceleratorFromKeyPress(press: KeyPress, mac: boolean): string | null {
  let key: string | undefined;
  if (/^Key[A-Z]$/.test(press.code)) key = press.code.slice(3);
  else if (/^Digit[0-9]$/.test(press.code)) key = press.code.slice(5);
  else if (/^F([1-9]|1[0-9]|2[0-4])$/.test(press.code)) key = press.code;
  else key = CODE_KEYS[press.code];
  if (key === undefined) return null;
  const parts: string[] = [];
  const primary = mac ? press.metaKey : press.ctrlKey;
  const secondary = mac ? press.ctrlKey : press.metaKey;
  if (primary) parts.push('CmdOrCtrl');
  if (secondary) parts.push(mac ? 'Control' : 'Super');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey) parts.push('Shift');
  const accelerator = [...parts, key].join('+');
  return isGlobalAccelerator(accelerator) ? accelerator : null;
}

/** How a shortcut reads on this platform: "⌘⇧K" on macOS, "Ctrl+Shift+K" elsewhere. */
export function formatAccelerator(accelerator: string, mac: boolean): string {
  const names: Record<string, [string, string]> = {
    cmdorctrl: ['⌘', 'Ctrl'],
    commandorcontrol: ['⌘', 'Ctrl'],
    command: ['⌘', 'Super'],
    cmd: ['⌘', 'Super'],
    control: ['⌃', 'Ctrl'],
    ctrl: ['⌃', 'Ctrl'],
    alt: ['⌥', 'Alt'],
    option: ['⌥', 'Alt'],
    shift: ['⇧', 'Shift'],
    super: ['⌘', 'Super'],
    meta: ['⌘', 'Super'],
  };
  const parts = accelerator
    .split('+')
    .map((part) => names[part.toLowerCase()]?.[mac ? 0 : 1] ?? part);
  return mac ? parts.join('') : parts.join('+');
}
