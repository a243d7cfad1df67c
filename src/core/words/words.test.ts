import { describe, expect, it } from 'vitest';
import { emptyFileMessage, emptyFolderMessage } from './empty-input';
import { rateText } from './numbers';
import { plural } from './plural';

describe('words', () => {
  it('plural: singular for exactly one', () => {
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(0, 'image')).toBe('0 images');
    expect(plural(2, 'validation image')).toBe('2 validation images');
    expect(plural(1, 'class')).toBe('1 class');
    expect(plural(10, 'class')).toBe('10 classes');
    expect(plural(3, 'datum', 'data')).toBe('3 data');
  });

  it('rateText: two significant digits', () => {
    expect(rateText(0.0005689693714699657)).toBe('0.00057');
    expect(rateText(0.029999999999999995)).toBe('0.03');
    expect(rateText(0.003)).toBe('0.003');
    expect(rateText(2.5e-7)).toBe('2.5e-7');
    expect(rateText(Number.NaN)).toBe('NaN');
  });

  it('empty inputs are named and said to be empty', () => {
    expect(emptyFolderMessage('holiday', 'images')).toBe('The folder holiday is empty: no images in it.');
    expect(emptyFolderMessage('export', 'model')).toBe('The folder export is empty: no model.json or .onnx in it.');
    expect(emptyFolderMessage(null, 'images')).toBe('The chosen folder is empty: no images in it.');
    expect(emptyFileMessage('cats/image.png')).toBe('cats/image.png: the file is empty (0 bytes)');
  });
});
