import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineAndColumn } from './json-error';

describe('jsonErrorOffset', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' 0 ', '-1.5e+3', '"a\\u00e9\\n"', '{"a": [1, true, false, null, {"b": "c"}]}', '\n[ ]\n']) {
      expect(JSON.parse(t)).toBeDefined();
      expect(jsonErrorOffset(t)).toBe(-1);
    }
  });

  it('finds the first character JSON.parse stumbles on', () => {
    const cases: [string, number][] = [
      ['{"a": nope}', 6],
      ['{"a": 1,}', 8],
      ['[1 2]', 3],
      ['{"a" 1}', 5],
      ['{a: 1}', 1],
      ['"tab\there"', 4],
      ['01', 1],
      ['[1]x', 3],
      ['', 0],
      ['{"a": [1, 2}', 11],
      ['{"open": 1', 10],
    ];
    for (const [text, at] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect([text, jsonErrorOffset(text)]).toEqual([text, at]);
    }
  });

  it('gives 1-based line and column', () => {
    const text = '{\n  "a": 1,\n  "b": nope\n}';
    const at = jsonErrorOffset(text);
    expect(text.slice(at, at + 4)).toBe('nope');
    expect(lineAndColumn(text, at)).toEqual({ line: 3, column: 8 });
  });
});
