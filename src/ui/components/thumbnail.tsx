import { useEffect, useRef } from 'react';
import type { DatasetSummary } from '../../core/session-types';

type Thumb = DatasetSummary['thumbnails'][number];

/** One preprocessed image drawn at the model's input size (scaled up by CSS). */
export function Thumbnail({ thumb }: { thumb: Thumb }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(thumb.rgba), thumb.width, thumb.height), 0, 0);
  }, [thumb]);
  const name = thumb.path.split('/').pop() ?? thumb.path;
  return (
    <figure className="thumb" title={thumb.path}>
      <canvas ref={ref} width={thumb.width} height={thumb.height} data-testid="thumbnail" />
      <figcaption>{thumb.label ?? name}</figcaption>
    </figure>
  );
}
