// The camera scanner for browsers (outside Telegram's own scanner): a full-screen <video> from the back camera,
// frames read with BarcodeDetector or jsQR (loaded only now), a front/back switch, the torch where the camera has one,
// and plain words when the camera is refused or missing. Resolves with the first text `accept` takes, or null.
import { h, replace } from '../../shared/dom.js';
import { t } from './i18n.js';
import { barcodeDetector, decodeWithJsQr, loadJsQr } from './qrDecode.js';

const FRAME_INTERVAL_MS = 120;
/** jsQR reads a frame reduced to this many pixels on its longer side: fast enough on a cheap phone. */
const FRAME_MAX_SIDE = 720;

export interface ScanOptions {
  /** The scanned text is what we look for (a card's token); else the hint is shown and scanning goes on. */
  accept(text: string): boolean;
  rejectedHint: string;
}

type Facing = 'environment' | 'user';

export function scanWithCamera(o: ScanOptions): Promise<string | null> {
  return new Promise((resolve) => {
    const previousFocus = document.activeElement as HTMLElement | null;
    const video = h('video', { class: 'scanner-video', playsinline: true, muted: true, autoplay: true, 'aria-hidden': 'true' });
    video.muted = true;
    const status = h('p', { class: 'scanner-status', role: 'status', 'data-testid': 'scanner-status' }, t('cameraStarting'));
    const switchBtn = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true, 'data-testid': 'camera-switch' }, t('cameraSwitch'));
    const torchBtn = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true, 'aria-pressed': 'false', 'data-testid': 'camera-torch' }, t('torch'));
    const closeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'scanner-close' }, t('close'));
    const overlay = h(
      'div',
      { class: 'scanner', role: 'dialog', 'aria-modal': 'true', 'aria-label': t('scanTitle'), 'data-testid': 'scanner' },
      video,
      h('div', { class: 'scanner-frame', 'aria-hidden': 'true' }),
      h('div', { class: 'scanner-bottom' }, status, h('div', { class: 'scanner-controls' }, switchBtn, torchBtn, closeBtn)),
    );
    const canvas = document.createElement('canvas');

    let facing: Facing = 'environment';
    let stream: MediaStream | null = null;
    let track: MediaStreamTrack | null = null;
    let torchOn = false;
    let stopped = false;
    let timer: number | undefined;
    let generation = 0;
    let rejectedAt = 0;

    const say = (text: string, problem = false) => {
      status.className = problem ? 'scanner-status problem' : 'scanner-status';
      replace(status, text);
    };
    const stopStream = () => {
      window.clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
      stream = null;
      track = null;
      video.srcObject = null;
    };
    const finish = (value: string | null) => {
      if (stopped) return;
      stopped = true;
      stopStream();
      document.removeEventListener('keydown', onKey, true);
      overlay.remove();
      previousFocus?.focus?.();
      resolve(value);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        finish(null);
      }
    };

    async function start(): Promise<void> {
      const mine = ++generation;
      stopStream();
      torchBtn.hidden = true;
      say(t('cameraStarting'));
      const media = navigator.mediaDevices;
      if (!media || typeof media.getUserMedia !== 'function') return say(t(window.isSecureContext ? 'cameraUnavailable' : 'cameraNeedsHttps'), true);
      let s: MediaStream;
      try {
        s = await media.getUserMedia({ video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
      } catch (e) {
        if (mine === generation) say(cameraError(e), true);
        return;
      }
      if (stopped || mine !== generation) return void s.getTracks().forEach((tr) => tr.stop());
      stream = s;
      track = s.getVideoTracks()[0] ?? null;
      video.srcObject = s;
      try {
        await video.play();
      } catch {
        // autoplay of a muted inline video is allowed; the frames come anyway
      }
      torchOn = false;
      torchBtn.setAttribute('aria-pressed', 'false');
      const caps = (track?.getCapabilities?.() ?? {}) as MediaTrackCapabilities & { torch?: boolean };
      torchBtn.hidden = !caps.torch;
      void media.enumerateDevices?.().then(
        (list) => void (switchBtn.hidden = list.filter((d) => d.kind === 'videoinput').length < 2),
        () => undefined,
      );

      const detector = await barcodeDetector();
      let jsQR: Awaited<ReturnType<typeof loadJsQr>> | null = null;
      if (!detector) {
        try {
          jsQR = await loadJsQr();
        } catch {
          if (mine === generation) say(t('scannerLoadFailed'), true);
          return;
        }
      }
      if (stopped || mine !== generation) return;
      say(t('cameraAim'));
      const tick = async () => {
        if (stopped || mine !== generation) return;
        let text: string | null = null;
        if (video.readyState >= 2 && video.videoWidth > 0) {
          try {
            if (detector) text = (await detector.detect(video))[0]?.rawValue ?? null;
            else if (jsQR) text = decodeWithJsQr(jsQR, canvas, video, video.videoWidth, video.videoHeight, FRAME_MAX_SIDE);
          } catch {
            text = null;
          }
        }
        if (stopped || mine !== generation) return;
        if (text) {
          if (o.accept(text)) return finish(text);
          if (Date.now() - rejectedAt > 1500) say(o.rejectedHint, true);
          rejectedAt = Date.now();
        } else if (rejectedAt && Date.now() - rejectedAt > 3000) {
          rejectedAt = 0;
          say(t('cameraAim'));
        }
        timer = window.setTimeout(() => void tick(), FRAME_INTERVAL_MS);
      };
      void tick();
    }

    closeBtn.addEventListener('click', () => finish(null));
    switchBtn.addEventListener('click', () => {
      facing = facing === 'environment' ? 'user' : 'environment';
      video.classList.toggle('mirrored', facing === 'user');
      void start();
    });
    torchBtn.addEventListener('click', async () => {
      if (!track) return;
      const next = !torchOn;
      try {
        await track.applyConstraints({ advanced: [{ torch: next } as MediaTrackConstraintSet] });
        torchOn = next;
        torchBtn.setAttribute('aria-pressed', String(next));
      } catch {
        torchBtn.hidden = true;
      }
    });
    document.addEventListener('keydown', onKey, true);
    document.body.appendChild(overlay);
    closeBtn.focus();
    void start();
  });
}

function cameraError(e: unknown): string {
  const name = e && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError') return t('cameraDenied');
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return t('cameraMissing');
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return t('cameraBusy');
  return t('cameraFailed');
}
