/** Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in the README. */
export function replaceReadmeSection(readme: string, name: string, section: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const i = readme.indexOf(begin);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md: expected the markers ${begin} … ${end}`);
  return readme.slice(0, i + begin.length) + '\n' + section + '\n' + readme.slice(j);
}
