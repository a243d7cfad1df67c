import { BufferManager } from '@tensorflow/tfjs-backend-webgpu/dist/buffer_manager';
import { describe, expect, it } from 'vitest';
import { releaseGpuPool } from './gpu-pool';

/** A stand-in GPUDevice whose buffers record being destroyed. */
function fakeDevice() {
  const destroyed: number[] = [];
  let next = 0;
  const device = {
    createBuffer: ({ size, usage }: { size: number; usage: number }) => {
      const id = next++;
      return { id, size, usage, destroy: () => destroyed.push(id) };
    },
  };
  return { device, destroyed };
}

describe('releaseGpuPool', () => {
  it('destroys the WebGPU buffer pool, keeps live buffers, and the manager goes on working', () => {
    const { device, destroyed } = fakeDevice();
    const manager = new BufferManager(device as unknown as ConstructorParameters<typeof BufferManager>[0]);
    const live = manager.acquireBuffer(64, 4);
    const a = manager.acquireBuffer(256, 4);
    const b = manager.acquireBuffer(1024, 8);
    manager.releaseBuffer(a);
    manager.releaseBuffer(b);
    expect(manager.numBytesAllocated).toBe(64 + 256 + 1024);
    expect(manager.getNumFreeBuffers()).toBe(2);

    expect(releaseGpuPool({ bufferManager: manager })).toBe(256 + 1024);
    expect(destroyed.sort()).toEqual([1, 2]);
    expect(manager.getNumFreeBuffers()).toBe(0);
    expect(manager.numBytesAllocated).toBe(64);
    expect(manager.numBytesUsed).toBe(64);
    // Releases are still pooled (the manager did not take itself for disposed), and reuse works.
    manager.releaseBuffer(live);
    expect(manager.getNumFreeBuffers()).toBe(1);
    expect(manager.acquireBuffer(64, 4)).toBe(live);
    expect(releaseGpuPool({ bufferManager: manager })).toBe(0);
  });

  it('deletes the free WebGL textures and keeps the byte counts true', () => {
    const deleted: unknown[] = [];
    const pool = {
      freeTextures: { a: [{ texture: 't1' }, { texture: 't2' }], b: [] as { texture: unknown }[] },
      numFreeTextures: 2,
      _numBytesAllocated: 5000,
      _numBytesFree: 3000,
      gpgpu: { deleteMatrixTexture: (t: unknown) => deleted.push(t) },
    };
    expect(releaseGpuPool({ textureManager: pool })).toBe(3000);
    expect(deleted).toEqual(['t1', 't2']);
    expect(pool).toMatchObject({ numFreeTextures: 0, _numBytesAllocated: 2000, _numBytesFree: 0, freeTextures: { a: [], b: [] } });
  });

  it('does nothing on backends without a pool (wasm, cpu) or of another shape', () => {
    expect(releaseGpuPool({})).toBe(0);
    expect(releaseGpuPool(null)).toBe(0);
    expect(releaseGpuPool({ bufferManager: { freeBuffers: {} } })).toBe(0);
  });
});
