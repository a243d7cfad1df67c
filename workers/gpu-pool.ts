/**
 * Gives pooled GPU memory back when a run ends. TF.js's WebGPU and WebGL backends keep every
 * buffer or texture a disposed tensor used, for reuse; after a run that pool holds the run's
 * whole working set (activations, gradients, optimiser copies) while the page sits idle. Live
 * tensors are untouched: only the free lists are emptied, and the backend's byte counts kept true.
 * The pools are backend internals, read by shape: where they differ, nothing is done.
 */

interface Destroyable {
  size: number;
  destroy(): void;
}

/** tfjs-backend-webgpu's BufferManager, the part read here. */
interface BufferPool {
  freeBuffers: Map<string, Destroyable[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
}

/** tfjs-backend-webgl's TextureManager and GPGPUContext, the part read here. */
interface TexturePool {
  freeTextures: Record<string, { texture: unknown }[]> | null;
  numFreeTextures: number;
  _numBytesAllocated: number;
  _numBytesFree: number;
  gpgpu: { deleteMatrixTexture(texture: unknown): void };
}

function isBufferPool(v: unknown): v is BufferPool {
  const p = v as Partial<BufferPool> | null;
  return !!p && p.freeBuffers instanceof Map && typeof p.numBytesAllocated === 'number' && typeof p.numFreeBuffers === 'number';
}

function isTexturePool(v: unknown): v is TexturePool {
  const p = v as Partial<TexturePool> | null;
  return (
    !!p && typeof p.freeTextures === 'object' && p.freeTextures !== null && typeof p._numBytesFree === 'number' &&
    typeof p._numBytesAllocated === 'number' && typeof p.gpgpu?.deleteMatrixTexture === 'function'
  );
}

/** Frees the pooled (unused) GPU buffers or textures of `backend`; returns the bytes given back. */
export function releaseGpuPool(backend: unknown): number {
  const b = backend as { bufferManager?: unknown; textureManager?: unknown } | null;
  if (isBufferPool(b?.bufferManager)) {
    const pool = b.bufferManager;
    let freed = 0;
    for (const list of pool.freeBuffers.values()) {
      for (const buffer of list) {
        freed += buffer.size;
        buffer.destroy();
      }
      // Emptied, not deleted: the manager skips releases once its map is empty (its "disposed" state).
      list.length = 0;
    }
    pool.numFreeBuffers = 0;
    pool.numBytesAllocated -= freed;
    return freed;
  }
  if (isTexturePool(b?.textureManager)) {
    const pool = b.textureManager;
    const freed = pool._numBytesFree;
    for (const list of Object.values(pool.freeTextures!)) {
      for (const t of list) pool.gpgpu.deleteMatrixTexture(t.texture);
      list.length = 0;
    }
    pool.numFreeTextures = 0;
    pool._numBytesAllocated -= freed;
    pool._numBytesFree = 0;
    return freed;
  }
  return 0;
}
