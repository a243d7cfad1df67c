/** Types of the generated static ONNX codec (see scripts/onnx/gen-proto.ts): only what codec.ts uses. */
interface StaticMessage {
  /** Decodes one message from bytes. */
  decode(bytes: Uint8Array): unknown;
  /** Encodes a message (decoded instance or plain object); finish() gives the bytes. */
  encode(message: unknown): { finish(): Uint8Array };
}

export declare const onnx: { ModelProto: StaticMessage };
