/**
 * The class names of a saved model: meta.classNames (JSON array of strings, written by `spintrain train`
 * since issue 13), else the evaluated data set's names when it has as many classes, else "0".."k−1".
 */
import type { Dataset } from '../data/index.ts';
import type { SavedModel } from '../engine/saved-model.ts';

/** The weights-file meta field holding the class names. */
export const CLASS_NAMES_META = 'classNames';

/** The meta entry for a data set's class names (none when it has none). */
export function classNamesMeta(d: Pick<Dataset, 'classNames'>): Record<string, string> {
  return d.classNames ? { [CLASS_NAMES_META]: JSON.stringify(d.classNames) } : {};
}

export function classNamesOf(model: Pick<SavedModel, 'checkpoint'>, d: Pick<Dataset, 'classNames'> | undefined, classes: number): string[] {
  return classNamesFromMeta(model.checkpoint.file.meta, d, classes);
}

/** classNamesOf for any weights file's meta (a deep network's too). */
export function classNamesFromMeta(meta: Record<string, string | number> | undefined, d: Pick<Dataset, 'classNames'> | undefined, classes: number): string[] {
  const raw = meta?.[CLASS_NAMES_META];
  if (typeof raw === 'string') {
    try {
      const names = JSON.parse(raw) as unknown;
      if (Array.isArray(names) && names.length === classes && names.every((n) => typeof n === 'string')) return names as string[];
    } catch {
      // a damaged entry: fall back to the data set's names or the indices
    }
  }
  if (d?.classNames && d.classNames.length === classes) return [...d.classNames];
  return Array.from({ length: classes }, (_v, k) => String(k));
}
