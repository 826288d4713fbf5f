import type { Request } from 'express';
import { maskFreeText, maskName, maskPersonalText, maskPhone } from '#common/privacy';
import type { Store } from '../../store/types.ts';
import type { SourceRegistry } from '../sources.ts';
import type { KeyLookup } from '../keys.ts';
import { renderPayload } from '../dead-letters.ts';

/** What every connector needs besides the pipeline. */
export interface ConnectorDeps {
  store: Store;
  sources: SourceRegistry;
}

/**
 * A message that cannot even be turned into an ingest event (bad JSON, unknown device, unmapped category …):
 * kept in the dead-letter store with its reason and counted as an error of the connector.
 * Payloads must be masked by the caller (maskedDeadLetter); they are for admins only, but masked all the same.
 */
export async function rejectRaw(deps: ConnectorDeps, connectorId: string, reason: string, payload: unknown, now = new Date()): Promise<void> {
  await deps.store.rejects.add(connectorId, reason, payloadText(payload), now);
  deps.sources.record(connectorId, 0, 1, now);
}

/** Bounded in depth and length: a hostile payload cannot overflow the stack or the disk (dead-letters.ts). */
export function payloadText(payload: unknown): string {
  return renderPayload(payload);
}

/** Masks an e-mail address: li.ming@example.com → l******@example.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(Math.min(email.length, 8));
  return `${email[0]}${'*'.repeat(Math.max(at - 1, 1))}${email.slice(at)}`;
}

const NAME_KEYS = /^(callerName|caller_name|name|first_name|last_name|reporterName|contactName)$/i;
const PHONE_KEYS = /^(callerPhone|caller_phone|phone|mobile|tel|reporterPhone|contactPhone)$/i;
const EMAIL_KEYS = /^(email|callerEmail)$/i;

/** A copy of an upstream payload with personal data masked: name, phone and e-mail fields, and numbers in free text. */
export function maskContact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => maskContact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && NAME_KEYS.test(k)) out[k] = maskName(v);
    else if (typeof v === 'string' && PHONE_KEYS.test(k)) out[k] = maskPhone(v);
    else if (typeof v === 'string' && EMAIL_KEYS.test(k)) out[k] = maskEmail(v);
    else if (typeof v === 'string') out[k] = maskFreeText(v);
    else out[k] = maskContact(v, depth + 1);
  }
  return out;
}

/** The values of name fields (reporter.name, callerName …) in a payload, to mask wherever else they recur. */
function contactNames(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.slice(0, 1000).entries() : Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (typeof v === 'string' && NAME_KEYS.test(String(k))) out.push(v);
    else contactNames(v, depth + 1, out);
  }
  return out;
}

/**
 * A refused payload as the dead-letter store keeps it: contact fields masked (maskContact), then the bounded
 * rendering masked as citizen text at any depth (phones, ID numbers, names after markers, and the payload's own
 * caller names wherever the caller wrote them again: "我叫龚秀英", an address "… 龚秀英 139…").
 */
export function maskedDeadLetter(payload: unknown): string {
  return maskPersonalText(renderPayload(maskContact(payload)), contactNames(payload));
}

/** The source id an `X-Api-Key` (or Open311 `api_key`) belongs to, per INGEST_KEYS. */
export function sourceOfKey(keys: KeyLookup, key: unknown): string | undefined {
  return typeof key === 'string' && key.length > 0 ? keys.get(key) : undefined;
}

export function headerKey(req: Request): string | undefined {
  return req.header('x-api-key') ?? undefined;
}

/** A string field, trimmed; '' and non-strings are undefined (Open311: empty means not declared). */
export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}
