import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import type { Incident } from '#common/incidents/types';
import { api, HttpError } from '../api/http';
import { clientId } from '../api/ids';
import { socket } from '../realtime/socket';
import { ALERT_REPEAT_MS, audible, dueRepeats, shouldAlert, type PendingAlert } from './alert-policy';
import { useIncidentsStore } from './incidents';
import { versionOf } from './console';

export interface EscalationToast { incidentId: string; stage: 'reminded' | 'warned' | 'overdue' | 'urged'; at: string; title: string }

/** A two-tone chime made on the spot (no audio file is fetched). */
function chime(ctx: AudioContext, critical: boolean): void {
  const t0 = ctx.currentTime;
  const tones = critical ? [880, 660, 880, 660] : [740, 560];
  tones.forEach((f, n) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, t0 + n * 0.22);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + n * 0.22 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n * 0.22 + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + n * 0.22);
    osc.stop(t0 + n * 0.22 + 0.21);
  });
}

/** The browser's Chinese voice, if it has one (voices load asynchronously; never a fetched voice). */
function zhVoice(): SpeechSynthesisVoice | null {
  return globalThis.speechSynthesis?.getVoices().find((v) => v.lang.toLowerCase().startsWith('zh')) ?? null;
}

/**
 * On-duty alerts: a new critical/high incident in scope (arriving live) sounds and stays until acknowledged,
 * repeating every minute; `incident:escalated` pushes show as toasts. Listeners bound once via start(),
 * released by stop() when the console unmounts.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const incidents = useIncidentsStore();
  const pending = shallowRef<PendingAlert[]>([]);
  const escalations = shallowRef<EscalationToast[]>([]);
  const muteHigh = ref(localStorage.getItem('gridops.muteHigh') === '1');
  const ackNote = ref<string | null>(null);
  let ctx: AudioContext | null = null;
  /** Looked up at start and when the voice list changes: the first getVoices() can block the page a while. */
  let voice: SpeechSynthesisVoice | null = null;

  function speak(text: string): void {
    if (!voice) return;
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    globalThis.speechSynthesis.speak(u);
  }
  let stops: (() => void)[] = [];

  function sound(a: PendingAlert, now: number): void {
    a.soundedAt = now;
    if (!audible(a, muteHigh.value)) return;
    try {
      ctx ??= new AudioContext();
      void ctx.resume?.();
      chime(ctx, a.severity === 'critical');
    } catch {
      // No audio device: the toast still shows.
    }
    speak(a.title);
  }

  function raise(i: Incident): void {
    if (!shouldAlert(i, { live: true, known: pending.value.some((a) => a.id === i.id) })) return;
    const a: PendingAlert = { id: i.id, title: i.title, category: i.category, gridId: i.gridId, severity: i.severity, soundedAt: 0 };
    pending.value = [a, ...pending.value].slice(0, 50);
    // Sound after the toast is painted: creating an AudioContext can take a while on some machines.
    a.soundedAt = Date.now();
    requestAnimationFrame(() => setTimeout(() => sound(a, Date.now()), 0));
  }

  function start(): void {
    if (stops.length) return;
    // Made once up front (it can take a moment); the browser lets it play once the user has interacted (signing in).
    try {
      ctx ??= new AudioContext();
    } catch {
      ctx = null;
    }
    const synth = globalThis.speechSynthesis;
    if (synth) {
      const onVoices = () => (voice = zhVoice());
      onVoices();
      synth.addEventListener('voiceschanged', onVoices);
      stops.push(() => synth.removeEventListener('voiceschanged', onVoices));
    }
    stops.push(incidents.onLiveCreated(raise));
    const onEscalated = (e: EscalationToast) => (escalations.value = [e, ...escalations.value].slice(0, 20));
    socket.on('incident:escalated', onEscalated);
    stops.push(() => socket.off('incident:escalated', onEscalated));
    const timer = setInterval(() => {
      const now = Date.now();
      const due = dueRepeats(pending.value, now, ALERT_REPEAT_MS);
      for (const a of due) sound(a, now);
      if (due.length) triggerRef(pending);
    }, 1000);
    stops.push(() => clearInterval(timer));
  }

  function stop(): void {
    for (const s of stops) s();
    stops = [];
    void ctx?.close();
    ctx = null;
    globalThis.speechSynthesis?.cancel();
  }

  function setMuteHigh(on: boolean): void {
    muteHigh.value = on;
    localStorage.setItem('gridops.muteHigh', on ? '1' : '0');
  }

  /** Acknowledge: recorded on the server when it knows the action; the toast goes either way once answered. */
  async function acknowledge(id: string): Promise<void> {
    const inc = incidents.state.byId.get(id);
    try {
      await api(`/api/incidents/${encodeURIComponent(id)}/actions`, {
        method: 'POST',
        body: { action: 'acknowledge', version: inc ? versionOf(inc) : undefined },
        headers: { 'Idempotency-Key': clientId() },
      });
      ackNote.value = null;
    } catch (err) {
      // A server without the acknowledge action (400 unknown_action) or a stale version: say so, still dismiss.
      ackNote.value = err instanceof HttpError ? err.error.code : (err as Error).message;
    }
    pending.value = pending.value.filter((a) => a.id !== id);
  }

  function dismissEscalation(n: number): void {
    escalations.value = escalations.value.filter((_, i) => i !== n);
  }

  return { pending, escalations, muteHigh, ackNote, start, stop, setMuteHigh, acknowledge, dismissEscalation };
});
