/**
 * The tests build spintrain's Uno firmware with the product's builder (host/deploy/uno-firmware.ts, which
 * `spintrain flash` uses too); this module keeps the harness's import path.
 */
export * from '../../../host/deploy/uno-firmware.ts';
