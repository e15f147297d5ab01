// Message templates per event: which variables each may use, checked when the business saves a template (an
// unknown or misspelt variable is an error then, not a broken message later), and rendering.
import { DomainError } from './errors.js';

export const MESSAGE_KINDS = ['accrual', 'redemption', 'expiry_reminder', 'welcome', 'birthday', 'winback', 'broadcast'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const COMMON = ['name', 'pointsName', 'balance', 'business', 'cardUrl'] as const;

/** The variables each kind of message may use. */
export const TEMPLATE_VARIABLES: Readonly<Record<MessageKind, readonly string[]>> = {
  accrual: [...COMMON, 'points'],
  redemption: [...COMMON, 'points'],
  expiry_reminder: [...COMMON, 'points', 'expiresAt', 'days'],
  welcome: [...COMMON, 'bonus'],
  birthday: [...COMMON, 'bonus', 'expiresAt'],
  winback: [...COMMON, 'bonus'],
  broadcast: [...COMMON],
};

export const MAX_TEMPLATE = 4000;
const VARIABLE = /\{([^{}]*)\}/g;

/** Every problem with a template for this kind of message: unknown variables, stray braces, length. */
export function templateProblems(kind: MessageKind, text: string): string[] {
  const problems: string[] = [];
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_TEMPLATE) return [`a template is 1–${MAX_TEMPLATE} characters`];
  const allowed = TEMPLATE_VARIABLES[kind];
  for (const [, name] of text.matchAll(VARIABLE)) {
    if (!allowed.includes(name ?? '')) problems.push(`{${name}} is not a variable of ${kind} messages; use ${allowed.map((v) => `{${v}}`).join(', ')}`);
  }
  if (/[{}]/.test(text.replace(VARIABLE, ''))) problems.push('a { or } without its pair');
  return problems;
}

/** Throws `invalid_template` with every problem. */
export function checkTemplate(kind: MessageKind, text: string): string {
  const problems = templateProblems(kind, text);
  if (problems.length > 0) throw new DomainError('invalid_template', problems.join('; '), { problems });
  return text;
}

/** Fills a checked template. Every variable of the kind must be given, so a saved template always renders whole. */
export function renderTemplate(kind: MessageKind, text: string, vars: Readonly<Record<string, string | number>>): string {
  const missing = TEMPLATE_VARIABLES[kind].filter((v) => vars[v] === undefined);
  if (missing.length > 0) throw new Error(`renderTemplate(${kind}): no value for ${missing.join(', ')}`);
  return text.replace(VARIABLE, (whole, name: string) => (vars[name] === undefined ? whole : String(vars[name])));
}

/** What a business starts with, in Russian and English. */
export const DEFAULT_TEMPLATES: Readonly<Record<'ru' | 'en', Record<MessageKind, string>>> = {
  ru: {
    accrual: '{name}, начислено {points} {pointsName}. Баланс: {balance}.',
    redemption: '{name}, списано {points} {pointsName} в оплату покупки. Баланс: {balance}.',
    expiry_reminder: '{name}, {points} {pointsName} сгорят после {expiresAt} (осталось дней: {days}). Успейте потратить! Баланс: {balance}. Карта: {cardUrl}',
    welcome: 'Добро пожаловать в программу «{business}», {name}! Ваш баланс: {balance} {pointsName}. Карта: {cardUrl}',
    birthday: 'С днём рождения, {name}! Дарим {bonus} {pointsName} — они действуют до {expiresAt}. «{business}»',
    winback: '{name}, давно вас не видели! Дарим {bonus} {pointsName} к следующей покупке. Баланс: {balance}. «{business}»',
    broadcast: '',
  },
  en: {
    accrual: '{name}, you earned {points} {pointsName}. Balance: {balance}.',
    redemption: '{name}, {points} {pointsName} paid for your purchase. Balance: {balance}.',
    expiry_reminder: '{name}, {points} {pointsName} expire after {expiresAt} ({days} days left). Use them in time! Balance: {balance}. Card: {cardUrl}',
    welcome: 'Welcome to the {business} programme, {name}! Your balance: {balance} {pointsName}. Card: {cardUrl}',
    birthday: 'Happy birthday, {name}! A gift of {bonus} {pointsName}, valid until {expiresAt}. {business}',
    winback: '{name}, we miss you! Here are {bonus} {pointsName} for your next purchase. Balance: {balance}. {business}',
    broadcast: '',
  },
};
