// What the signed-in pages get from the app shell (app.ts).
import type { CardClient, CardView } from '../../../src/client/card.js';

export interface PageContext {
  client: CardClient;
  /** The card as me() last returned it (its qr is kept up to date by the card page). */
  view: CardView;
  /** When `view.qr` was received (Date.now()). */
  qrReceivedAt: number;
  /** True while the shell is about to reload me() (the page came back after a long while). */
  reloading(): boolean;
  /** Any 401: forget the session and sign in again. */
  unauthorized(): void;
  signOut(): Promise<void>;
  /** After deleteMe(). */
  deleted(): void;
}

export interface Page {
  el: HTMLElement;
  /** Stops timers and listeners when the page is left. */
  cleanup?: () => void;
}
