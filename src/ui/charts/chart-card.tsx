import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import { TeachingNote } from '../teaching/teaching-views';

interface Props {
  testid: string;
  title: string;
  /** One line on how to read the chart. */
  hint: ReactNode;
  /** Number of points drawn (exposed as data-points for tests). */
  points: number;
  empty: string;
  height?: number;
  /** Teaching mode's live explanation of what the chart shows now (shown under it when on). */
  note?: string | null;
  /** Extra data-* attributes summarising what is drawn (read by the browser tests). */
  attrs?: Record<`data-${string}`, string | number>;
  children: ReactElement;
}

/** A titled chart box; shows a placeholder until there is something to draw. */
export function ChartCard({ testid, title, hint, points, empty, height = 180, note = null, attrs = {}, children }: Props) {
  return (
    <figure className="chart-card" data-testid={testid} data-points={points} {...attrs}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-hint">{hint}</span>
      </figcaption>
      {points === 0 ? (
        <div className="chart-empty" style={{ height }}>
          {empty}
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          {children}
        </ResponsiveContainer>
      )}
      <TeachingNote testid={`${testid}-note`} text={note} />
    </figure>
  );
}

export const AXIS_STYLE = { fontSize: 11 } as const;
export const COLORS = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2'] as const;
