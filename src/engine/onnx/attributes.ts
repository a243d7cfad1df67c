/** Typed access to a node's attributes. */
import { int } from './proto/codec';
import type { AttributeProto, NodeProto, TensorProto } from './proto/types';

const find = (node: NodeProto, name: string): AttributeProto | undefined => node.attribute.find((a) => a.name === name);

/** An INT attribute, or `fallback`. */
export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a ? int(a.i) : fallback;
}

/** A FLOAT attribute, or `fallback`. */
export function attrFloat(node: NodeProto, name: string, fallback: number): number {
  const a = find(node, name);
  return a ? a.f : fallback;
}

/** An INTS attribute, or `fallback`. */
export function attrInts(node: NodeProto, name: string, fallback: number[]): number[] {
  const a = find(node, name);
  return a ? a.ints.map(int) : fallback;
}

/** A FLOATS attribute, or `fallback`. */
export function attrFloats(node: NodeProto, name: string, fallback: number[]): number[] {
  const a = find(node, name);
  return a ? [...a.floats] : fallback;
}

/** A STRING attribute, or `fallback`. */
export function attrString(node: NodeProto, name: string, fallback: string): string {
  const a = find(node, name);
  return a ? new TextDecoder().decode(a.s) : fallback;
}

/** A TENSOR attribute, if present. */
export function attrTensor(node: NodeProto, name: string): TensorProto | undefined {
  return find(node, name)?.t ?? undefined;
}

/** Whether the node sets attribute `name`. */
export function hasAttr(node: NodeProto, name: string): boolean {
  return find(node, name) !== undefined;
}
