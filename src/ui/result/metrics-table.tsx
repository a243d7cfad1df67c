import type { Metrics } from '../../core/events';
import { count, num, pct } from '../format';

type Which = 'dense' | 'oneShot' | 'final';
const COLUMNS: { which: Which; label: string; id: string }[] = [
  { which: 'dense', label: 'Dense', id: 'dense' },
  { which: 'oneShot', label: 'One-shot', id: 'oneshot' },
  { which: 'final', label: 'Returned', id: 'final' },
];

interface RowDef {
  key: string;
  label: string;
  value: (m: Metrics) => string;
  /** Whether the row applies to these results (top-1 needs labels). */
  show: (ms: Metrics[]) => boolean;
}

const ROWS: RowDef[] = [
  { key: 'top1', label: 'Top-1 accuracy', value: (m) => pct(m.top1), show: (ms) => ms.some((m) => m.top1 !== undefined) },
  { key: 'top5', label: 'Top-5 accuracy', value: (m) => pct(m.top5), show: (ms) => ms.some((m) => m.top5 !== undefined) },
  { key: 'agreement', label: 'Agreement with dense', value: (m) => pct(m.agreement), show: () => true },
  { key: 'kl', label: 'KL(dense ‖ model)', value: (m) => num(m.kl), show: () => true },
  { key: 'count', label: 'Images scored', value: (m) => count(m.count), show: () => true },
];

/**
 * Dense vs one-shot vs the returned model, side by side, on one image set. `set` names it in the
 * test ids: '' for the validation images, 'test' for the test images.
 */
export function MetricsTable({ metrics, returned, set = '' }: { metrics: Partial<Record<Which, Metrics>>; returned: 'trained' | 'one-shot' | null; set?: string }) {
  const id = (s: string) => (set ? `${set}-${s}` : s);
  const present = COLUMNS.map((c) => metrics[c.which]).filter((m): m is Metrics => m !== undefined);
  if (present.length === 0) return null;
  return (
    <table className="metrics" data-testid={id('metrics-table')}>
      <thead>
        <tr>
          <th />
          {COLUMNS.map((c) => (
            <th key={c.id} className="num">
              {c.label}
              {c.which === 'final' && returned ? ` (${returned})` : ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ROWS.filter((r) => r.show(present)).map((r) => (
          <tr key={r.key}>
            <th>{r.label}</th>
            {COLUMNS.map((c) => {
              const m = metrics[c.which];
              return (
                <td key={c.id} className="num" data-testid={id(`metric-${c.id}-${r.key}`)}>
                  {m ? r.value(m) : '…'}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
