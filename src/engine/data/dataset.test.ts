import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { NamedBytes } from '../../core/session-types';
import { decodeNode } from '../../node/decode';
import { offersUnlabelled } from '../../core/unlabelled';
import { InputError } from '../errors';
import { buildDataset, parseClassList, splitHeldOut, thumbnailPicks } from './dataset';
import type { InputGeometry } from './preprocess';

const GEO: InputGeometry = { height: 4, width: 4, channels: 3, squeezeChannel: false };
const text = (path: string, s: string): NamedBytes => ({ path, bytes: new TextEncoder().encode(s).buffer as ArrayBuffer });

/** A solid-colour 6x6 PNG at `path` (red channel = `red`). */
function image(path: string, red: number): NamedBytes {
  const img = new PNG({ width: 6, height: 6 });
  for (let i = 0; i < 36; i++) img.data.set([red, 10, 20, 255], i * 4);
  return { path, bytes: Uint8Array.from(PNG.sync.write(img)).buffer };
}

async function build(files: NamedBytes[], extra: { classList?: string[]; numClasses?: number } = {}) {
  return buildDataset(files, decodeNode, GEO, { numClasses: extra.numClasses ?? 10, ...(extra.classList ? { classList: extra.classList } : {}) });
}

async function failure(files: NamedBytes[], extra: { classList?: string[]; numClasses?: number } = {}): Promise<InputError> {
  const e = await build(files, extra).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('buildDataset', () => {
  it('labels integer folders by index, sizes images, skips known non-images silently', async () => {
    const progress: number[] = [];
    const files = [image('set/3/b.png', 30), image('set/1/a.png', 10), image('set/3/c.png', 31), text('set/classes.txt', 'x\ny'), text('set/.DS_Store', '\0')];
    const { dataset, summary } = await buildDataset(files, decodeNode, GEO, { numClasses: 5, onProgress: (d) => progress.push(d) });
    expect(summary.labelSource).toBe('indices');
    expect(dataset.paths).toEqual(['set/1/a.png', 'set/3/b.png', 'set/3/c.png']);
    expect(Array.from(dataset.labels!)).toEqual([1, 3, 3]);
    expect(dataset.count).toBe(3);
    expect(dataset.pixels.length).toBe(3 * 4 * 4 * 3);
    expect(Array.from(dataset.pixels.slice(0, 6))).toEqual([10, 10, 20, 10, 10, 20]);
    expect(dataset.pixels[48 * 2]).toBe(31);
    expect(summary.skipped).toEqual([]);
    expect(summary.perClass).toEqual([
      { classIndex: 1, name: 'y', count: 1 },
      { classIndex: 3, name: '3', count: 2 },
    ]);
    expect(summary.thumbnails.length).toBe(3);
    expect(summary.thumbnails[0]).toMatchObject({ path: 'set/1/a.png', width: 4, height: 4, label: 'y' });
    expect(Array.from(summary.thumbnails[0]!.rgba.slice(0, 4))).toEqual([10, 10, 20, 255]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('refuses more class folders than the model has classes, naming the image folder', async () => {
    const files = ['a', 'b', 'c'].map((c, i) => image(`pets/${c}/x.png`, i));
    const e = await failure(files, { numClasses: 2 });
    expect(e.file).toBe('pets');
    expect(e.message).toBe('pets: 3 class folders but the model has 2 classes. Name folders by class index (0..1) or add a classes.txt, or load the images as unlabelled (scores are then agreement with the dense model).');
  });

  it('refuses a folder index beyond the model classes, naming the folder', async () => {
    const e = await failure([image('12/a.png', 1), image('3/b.png', 2)], { numClasses: 10 });
    expect(e.file).toBe('12');
    expect(e.message).toBe('12: folder name "12" reads as a class index, but the model has 10 classes (0..9). Rename the folder to a valid class index, or load the images as unlabelled (scores are then agreement with the dense model).');
  });

  it('reads folders that are not classes as unlabelled when asked, instead of refusing them', async () => {
    const files = [image('imagenet-dev/000/a.png', 1), image('imagenet-dev/990/b.png', 2)];
    const refused = await failure(files, { numClasses: 12 });
    expect(refused.message).toMatch(/^imagenet-dev\/990: folder name "990" reads as a class index, but the model has 12 classes/);
    expect(offersUnlabelled(refused.message)).toBe(true);
    const { dataset, summary } = await buildDataset(files, decodeNode, GEO, { numClasses: 12, unlabelled: true });
    expect(dataset.labels).toBeNull();
    expect(dataset.count).toBe(2);
    expect(summary.labelled).toBe(false);
    expect(summary.labelSource).toBe('none');
    expect(summary.warnings).toEqual([]);
  });

  it('matches folder names against the class list, any comma-separated name, case-insensitively', async () => {
    const classList = parseClassList('tench, Tinca tinca\r\ngoldfish, Carassius auratus\r\ngreat white shark, white shark\r\n\r\n');
    expect(classList).toEqual(['tench, Tinca tinca', 'goldfish, Carassius auratus', 'great white shark, white shark']);
    const files = [image('Tench/a.png', 1), image('white_shark/b.png', 2), image('zebra crossing/c.png', 3), image('zebra crossing/d.png', 4)];
    const { dataset, summary } = await build(files, { classList, numClasses: 3 });
    expect(summary.labelSource).toBe('class-list');
    expect(dataset.paths).toEqual(['Tench/a.png', 'white_shark/b.png']);
    expect(Array.from(dataset.labels!)).toEqual([0, 2]);
    expect(summary.skipped).toEqual([
      {
        file: 'zebra crossing',
        message: 'zebra crossing: folder name "zebra crossing" matches no class in the class list; its 2 image(s) are left out. Rename the folder to a class name or index.',
      },
    ]);
    expect(summary.warnings).toContain('Folders matching no class in the class list were left out: "zebra crossing".');
    expect(summary.perClass.map((c) => c.name)).toEqual(['tench, Tinca tinca', 'great white shark, white shark']);
  });

  it('uses a classes.txt among the files as the class list', async () => {
    const { dataset, summary } = await build([text('drop/classes.txt', 'cat\ndog\n'), image('drop/dog/a.png', 1), image('drop/cat/b.png', 2)]);
    expect(summary.labelSource).toBe('class-list');
    expect(dataset.paths).toEqual(['drop/cat/b.png', 'drop/dog/a.png']);
    expect(Array.from(dataset.labels!)).toEqual([0, 1]);
  });

  it('falls back to sorted folder order with a warning when no name matches', async () => {
    const { dataset, summary } = await build([image('zebra/a.png', 1), image('ant/b.png', 2)], { classList: ['x', 'y'] });
    expect(summary.labelSource).toBe('sorted-names');
    expect(Array.from(dataset.labels!)).toEqual([0, 1]);
    expect(summary.warnings[0]).toBe(
      'No folder name matches the class list ("ant", "zebra"); labels are assumed to follow sorted folder order: "ant" = 0, "zebra" = 1. ' +
        'Name folders by class index or add a classes.txt if that is wrong.',
    );
    const noList = await build([image('dogs/a.png', 1), image('cats/b.png', 2)]);
    expect(noList.summary.warnings[0]).toMatch(/^labels are assumed to follow sorted folder order: "cats" = 0, "dogs" = 1\./);
    expect(noList.dataset.classNames).toEqual(['cats', 'dogs']);
  });

  it('treats images in the root (or one plain folder) as unlabelled', async () => {
    const flat = await build([image('a.png', 1), image('b.png', 2)]);
    expect(flat.summary.labelSource).toBe('none');
    expect(flat.summary.labelled).toBe(false);
    expect(flat.dataset.labels).toBeNull();
    const one = await build([image('calib/a.png', 1), image('calib/b.png', 2)]);
    expect(one.dataset.labels).toBeNull();
    const mixed = await build([image('calib/a.png', 1), image('calib/3/b.png', 2)]);
    expect(mixed.dataset.labels).toBeNull();
    expect(mixed.summary.warnings[0]).toMatch(/^1 image\(s\) sit directly in "calib" and 1 in class folders; labels are ignored/);
  });

  it('lists undecodable, truncated and huge images as skipped, naming each file', async () => {
    const good = image('2/ok.png', 5);
    const truncated = { path: '2/cut.png', bytes: good.bytes.slice(0, 50) };
    const jpegBytes = jpeg.encode({ width: 32, height: 32, data: Buffer.alloc(32 * 32 * 4, 90) }, 90).data;
    const jpegCut = { path: '2/cut.jpg', bytes: Uint8Array.from(jpegBytes.subarray(0, jpegBytes.length - 40)).buffer };
    const huge = new Uint8Array(33);
    huge.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(huge.buffer).setUint32(16, 12000);
    new DataView(huge.buffer).setUint32(20, 12000);
    const files = [good, text('2/fake.jpg', 'I am text'), truncated, jpegCut, { path: '2/huge.png', bytes: huge.buffer }];
    const { dataset, summary } = await build(files);
    expect(dataset.paths).toEqual(['2/ok.png']);
    const byFile = Object.fromEntries(summary.skipped.map((s) => [s.file, s.message]));
    expect(byFile['2/fake.jpg']).toBe('2/fake.jpg: not a JPEG, PNG or WebP image');
    expect(byFile['2/cut.jpg']).toMatch(/^2\/cut\.jpg: the JPEG is truncated/);
    expect(byFile['2/cut.png']).toMatch(/^2\/cut\.png: not a valid PNG/);
    expect(byFile['2/huge.png']).toMatch(/^2\/huge\.png: 12000x12000 pixels is larger than the 4096-pixel limit/);
    expect(summary.warnings).toContain('4 file(s) could not be decoded and were skipped.');
  });

  it('refuses a drop with zero usable images', async () => {
    const none = await failure([text('readme.txt', 'hi'), text('.DS_Store', '')]);
    expect(none.file).toBe('images');
    expect(none.message).toBe('images: no image among its 2 file(s) (readme.txt, .DS_Store). Give a folder of JPEG, PNG or WebP images.');
    const broken = await failure([text('a.jpg', 'no'), text('b.png', 'no')]);
    expect(broken.message).toBe('images: none of the 2 image file(s) could be used (first problem: a.jpg: not a JPEG, PNG or WebP image).');
    // An image folder is named, and its files listed (a few of them).
    const notes = ['a', 'b', 'c', 'd'].map((n) => text(`holiday/${n}.txt`, n));
    const folder = await failure(notes);
    expect(folder.file).toBe('holiday');
    expect(folder.message).toBe('holiday: no image among its 4 file(s) (a.txt, b.txt, c.txt, and 1 more). Give a folder of JPEG, PNG or WebP images.');
    expect((await failure([text('cam/x.jpg', 'no')])).message).toMatch(/^cam: its one image file could not be used \(cam\/x\.jpg: /);
  });

  it('calls a zero-byte image empty, by name, instead of "not an image"', async () => {
    const empty: NamedBytes = { path: 'cam/image.png', bytes: new ArrayBuffer(0) };
    expect((await failure([empty])).message).toBe('cam: its one image file could not be used (cam/image.png: the file is empty (0 bytes)).');
    const { summary } = await build([empty, image('cam/ok.png', 5)], { numClasses: 1 });
    expect(summary.skipped).toEqual([{ file: 'cam/image.png', message: 'cam/image.png: the file is empty (0 bytes)' }]);
  });

  it('stops with an AbortError when the signal fires', async () => {
    const signal = { aborted: true };
    const e = await buildDataset([image('a.png', 1)], decodeNode, GEO, { numClasses: 2, signal }).catch((err: unknown) => err);
    expect((e as Error).name).toBe('AbortError');
  });
});

describe('splitHeldOut', () => {
  const check = (s: { calib: number[]; heldOut: number[] }, count: number) => {
    expect([...s.calib, ...s.heldOut].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
  };

  it('is seeded and stratified by label', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const a = splitHeldOut(100, 0.2, 7, labels);
    expect(a).toEqual(splitHeldOut(100, 0.2, 7, labels));
    expect(a).not.toEqual(splitHeldOut(100, 0.2, 8, labels));
    check(a, 100);
    expect(a.heldOut.length).toBe(20);
    for (let c = 0; c < 4; c++) expect(a.heldOut.filter((i) => labels[i] === c).length).toBe(5);
  });

  it('holds out whole classes at random when each class has one image', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i);
    const s = splitHeldOut(100, 0.2, 1, labels);
    check(s, 100);
    expect(s.heldOut.length).toBe(20);
    expect(s.heldOut).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('splits unlabelled sets and keeps at least one image on each side', () => {
    const s = splitHeldOut(10, 0.3, 3, null);
    check(s, 10);
    expect(s.heldOut.length).toBe(3);
    expect(splitHeldOut(2, 0.01, 1, null).heldOut.length).toBe(1);
    expect(splitHeldOut(5, 0, 1, null)).toEqual({ calib: [0, 1, 2, 3, 4], heldOut: [] });
  });
});

describe('thumbnailPicks', () => {
  it('takes the classes in turn, so every class shows', () => {
    expect(thumbnailPicks([0, 0, 0, 1, 1, 2], 6)).toEqual([0, 3, 5, 1, 4, 2]);
    expect(thumbnailPicks(null, 3)).toEqual([0, 1, 2]);
  });
});
