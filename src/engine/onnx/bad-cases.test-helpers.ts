/** The bad ONNX inputs of the Node and browser tests: what is dropped and what the answer must say. */
import type { NamedBytes } from '../../core/session-types';
import { onnxAsset } from './assets.test-helpers';
import { tinyOnnx, type TinyOptions } from './fixtures.test-helpers';

const files = (o: TinyOptions = {}, name = 'tiny.onnx'): NamedBytes[] => [{ path: name, bytes: tinyOnnx(o).onnx.buffer as ArrayBuffer }];

/** The bad-input table: what is dropped, and what the message must say. */
export const BAD_ONNX: { case: string; files: () => NamedBytes[]; file: string; problem: RegExp }[] = [
  {
    case: 'a truncated file',
    files: () => [{ path: 'cut.onnx', bytes: onnxAsset('resnet32.onnx').bytes.slice(0, 100_000) }],
    file: 'cut.onnx',
    problem: /cut\.onnx: not a readable ONNX file .*truncated/,
  },
  {
    case: 'an op the importer does not know',
    files: () => files({ activation: 'Mish' }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: node "act" \(Mish\): the op Mish is not supported by the importer\. Supported: .*Conv/,
  },
  {
    case: 'a dynamic spatial size',
    files: () => files({ inputDims: ['N', 3, 'height', 'width'] }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: input "image" \[N, 3, height, width\] has a dynamic height or width.*fixed input size/,
  },
  {
    case: 'two inputs',
    files: () => files({ secondInput: true }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: the model has 2 inputs \("image", "mask"\)\. .*one float input/,
  },
  {
    case: 'an input that is not an image',
    files: () => files({ inputDims: ['N', 192] }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: input "image" is a rank-2 tensor \[N, 192\], not an image/,
  },
  {
    case: 'external data not dropped',
    files: () => files({ externalWeights: 'tiny.weights' }),
    file: 'tiny.weights',
    problem: /tiny\.onnx: the weights of "conv\.weight" are stored in the external file "tiny\.weights", which was not dropped\. Drop tiny\.weights together with tiny\.onnx/,
  },
  {
    case: 'an opset outside 11-18',
    files: () => files({ opset: 9 }),
    file: 'tiny.onnx',
    problem: /tiny\.onnx: uses ONNX opset 9; the importer reads opsets 11 to 18/,
  },
];

