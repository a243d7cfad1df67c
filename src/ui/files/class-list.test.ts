import { describe, expect, it } from 'vitest';
import { parseClassList } from './class-list';

describe('parseClassList', () => {
  it('reads one name per line, ignoring the trailing newline and CRLF', () => {
    expect(parseClassList('cat\r\ndog\nbird\n', 'c.txt')).toEqual(['cat', 'dog', 'bird']);
  });

  it('reads a JSON array', () => {
    expect(parseClassList(' ["a", "b"] ', 'c.json')).toEqual(['a', 'b']);
  });

  it('names the file when the list is unusable', () => {
    expect(() => parseClassList('[1, 2]', 'bad.json')).toThrow(/bad\.json/);
    expect(() => parseClassList('[oops', 'bad.json')).toThrow(/bad\.json: not valid JSON/);
    expect(() => parseClassList('  \n ', 'empty.txt')).toThrow(/empty\.txt: the class list is empty/);
  });
});
