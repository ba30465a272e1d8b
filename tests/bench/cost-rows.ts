// The rows of one measured operation: its wall, git sessions, bytes and API requests.
import { kib, type Cost } from './observe';
import { figure, show, type Row } from './stats';

const HEADLINE = new Set(['first up', 'no-change preview', 'no-change preview --refresh', 'no-change up']);

/** Rows of `what` ("first up", ...): the wall (median of `costs`) and the counts, one value
 *  when every run counted the same. */
export function costRows(section: string, what: string, costs: Cost[]): Row[] {
  const rows: Row[] = [{ section, measure: `${what}: wall`, ours: show(figure(costs.map((c) => c.ms))), headline: HEADLINE.has(what) }];
  const same = (f: (c: Cost) => number) => {
    const v = costs.map(f);
    return v.every((x) => x === v[0]) ? String(v[0]) : show(figure(v), '', 0);
  };
  rows.push({ section, measure: `${what}: git sessions (pushes)`, ours: `${same((c) => c.gitSessions)} (${same((c) => c.pushes)})` });
  rows.push({ section, measure: `${what}: bytes from git server`, ours: kib(figure(costs.map((c) => c.gitBytes)).median) });
  rows.push({
    section,
    measure: `${what}: API requests (writes)`,
    ours: `${same((c) => c.apiRequests)} (${same((c) => c.apiWrites)})`,
    headline: HEADLINE.has(what),
  });
  return rows;
}
