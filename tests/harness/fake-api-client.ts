// Test-side helpers for the fake APIs' /_harness/ control endpoints (fake-api.ts).
import type { Fault, RequestRecord, Violation } from './fake-api';

async function control(controlUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${controlUrl}${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

export async function violations(controlUrl: string): Promise<Violation[]> {
  return (await control(controlUrl, 'GET', '/violations')) as Violation[];
}

export async function clearViolations(controlUrl: string): Promise<void> {
  await control(controlUrl, 'DELETE', '/violations');
}

/** Fails with every recorded violation, then clears them (call it in afterEach). */
export async function expectNoViolations(controlUrl: string): Promise<void> {
  const v = await violations(controlUrl);
  await clearViolations(controlUrl);
  if (v.length)
    throw new Error(
      `the fake API saw ${v.length} request(s)/response(s) that do not match the API description:\n${v.map((x) => `${x.method} ${x.path}:\n  ${x.problems.join('\n  ')}`).join('\n')}`,
    );
}

export async function injectFaults(controlUrl: string, faults: Fault[]): Promise<void> {
  await control(controlUrl, 'POST', '/faults', faults);
}

export async function clearFaults(controlUrl: string): Promise<void> {
  await control(controlUrl, 'DELETE', '/faults');
}

export async function requestLog(controlUrl: string): Promise<RequestRecord[]> {
  return (await control(controlUrl, 'GET', '/requests')) as RequestRecord[];
}
