/** The product's PATH lookup (host/deploy/system-command.ts, used by `spintrain flash`), at the harness's import path. */
export * from '../../../host/deploy/system-command.ts';
