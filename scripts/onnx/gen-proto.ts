/**
 * Regenerates src/engine/onnx/proto/onnx-static.js from the ONNX schema descriptor
 * with protobufjs-cli's static target: reflection-free code, which runs under the page's CSP
 * (no eval / new Function, which protobufjs's runtime code generation needs).
 * (onnx-static.d.ts, written by hand, types the one entry point codec.ts uses.)
 *   node bin/run-ts.mjs scripts/onnx/gen-proto.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ONNX_SCHEMA } from '../../src/engine/onnx/proto/onnx-schema';

const out = resolve('src/engine/onnx/proto/onnx-static.js');
const json = join(mkdtempSync(join(tmpdir(), 'onnx-schema-')), 'onnx.json');
writeFileSync(json, JSON.stringify(ONNX_SCHEMA));
const flags = ['--no-create', '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl', '--no-service', '--force-number', '--no-comments'];
const r = spawnSync('npx', ['pbjs', '-t', 'static-module', '-w', 'esm', ...flags, '-o', out, json], { stdio: 'inherit' });
process.exit(r.status ?? 1);
