/** The first stack frame in `file`, as `rel:line:column`. */
export function locate(err: Error, file: string, rel: string): string | undefined {
  for (const line of (err.stack ?? '').split('\n')) {
    const i = line.indexOf(file);
    if (i < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(line.slice(i + file.length));
    if (m) return `${rel}:${m[1]}:${m[2]}`;
  }
  return undefined;
}
