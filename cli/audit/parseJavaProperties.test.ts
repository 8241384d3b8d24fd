import { describe, expect, it } from 'vitest';
import { parseJavaProperties } from './parseJavaProperties.js';

/** The entries as `key=value@line`, or the error. */
function read(text: string): string[] | string {
  const r = parseJavaProperties(text);
  return r.ok ? r.entries.map((e) => `${e.key}=${e.value}@${e.line}`) : `line ${r.line}: ${r.error}`;
}

describe('parseJavaProperties (java.util.Properties.load rules)', () => {
  it('reads key=value, key: value and key value, trimming the whitespace around the separator', () => {
    expect(read('a=1\nb: 2\nc 3\n  d  =  4  \n\te\t:\t5\n')).toEqual(['a=1@1', 'b=2@2', 'c=3@3', 'd=4  @4', 'e=5@5']);
  });

  it('skips blank lines and # or ! comments, even indented ones', () => {
    expect(read('# comment\n\n   ! another\n   \nx=1\n')).toEqual(['x=1@5']);
  });

  it('joins a line ending in an odd number of backslashes with the next, dropping its indentation', () => {
    expect(read('servers=a:1,\\\n    b:2,\\\n    c:3\nnext=1\n')).toEqual(['servers=a:1,b:2,c:3@1', 'next=1@4']);
    // two backslashes are one escaped backslash: no continuation
    expect(read('path=C:\\\\\nx=1')).toEqual(['path=C:\\@1', 'x=1@2']);
  });

  it('does not continue a comment, and a continuation line that starts with # is value text', () => {
    expect(read('# note \\\nx=1\ny=a\\\n#b\n')).toEqual(['x=1@2', 'y=a#b@3']);
  });

  it('resolves escapes in keys and values: \\t \\n \\uXXXX, an escaped separator, any other escaped char', () => {
    expect(read('my\\ key\\=x=v\\u00e9\\t\\q\n')).toEqual(['my key=x=vé\tq@1']);
    expect(read('a==b\n')).toEqual(['a==b@1']);
    expect(read('empty\nalso=\n')).toEqual(['empty=@1', 'also=@2']);
  });

  it('accepts \\r\\n and \\r line ends, and keeps every occurrence of a repeated key in order', () => {
    expect(read('a=1\r\nb=2\ra=3')).toEqual(['a=1@1', 'b=2@2', 'a=3@3']);
  });

  it('a malformed \\u escape is an error naming the line', () => {
    expect(read('ok=1\nbad=\\u12g4\n')).toBe('line 2: malformed \\uxxxx escape "\\u12g4"');
  });

  it('a backslash at the very end of the file is dropped', () => {
    expect(read('a=1\\')).toEqual(['a=1@1']);
  });
});
