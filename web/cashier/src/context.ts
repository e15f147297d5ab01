// What the signed-in screens get from the app shell (app.ts).
import type { LookupResult, Receipt, StaffAction, StaffClient, StaffMe, TillMember } from '../../../src/client/staff.js';
import type { Problem } from './api.js';
import type { TelegramLaunch } from './launch.js';

export interface Formats {
  /** Integer minor units → "1 250,50 ₽" in the business's currency. */
  money(minor: number): string;
  points(n: number): string;
  signedPoints(n: number): string;
  /** A moment in the business's time zone. */
  dateTime(iso: string): string;
  /** Minor digits of the currency (RUB 2). */
  digits: number;
  /** What the keypad's separator key types: "," (ru) or "." (en). */
  decimalSeparator: string;
}

export interface FindOptions {
  notice?: string | null;
  problem?: Problem | null;
  /** Open the scanner at once (after "scan again"). */
  scan?: boolean;
}

export interface Ctx {
  client: StaffClient;
  me: StaffMe;
  /** Set inside the staff bot's Mini App. */
  telegram: TelegramLaunch | null;
  can(action: StaffAction): boolean;
  fmt: Formats;
  /** Any 401: forget the session and sign in again. */
  unauthorized(): void;
  showFind(opts?: FindOptions): void;
  /** `qrToken`: the token the member was found by, passed on to earn and redeem. */
  showMember(member: TillMember, identifiedBy: LookupResult['identifiedBy'], qrToken: string | null): void;
  showReceipt(receipt: Receipt, member: TillMember): void;
}

export interface Page {
  el: HTMLElement;
  /** Stops timers, requests and listeners when the page is left. */
  cleanup?: () => void;
  /** Called once the page is in the document. */
  shown?: () => void;
}
