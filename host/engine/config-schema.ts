/**
 * The schema of a network configuration stored in a file (a checkpoint's or weights file's
 * meta.config, written by host/engine/checkpoint.ts as JSON.stringify(engine.config)).
 *
 * Rules: the value is a JSON object; every required field is present; no field outside the schema
 * (a file from a newer spintrain is refused rather than half understood); then every field is
 * checked for its type and range by validateNetworkConfig (numbers are numbers, flags are booleans).
 * Failures throw ConfigError naming the field.
 */
import { ConfigError, shown, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from './config.ts';

/** Fields every stored configuration has (the engine's config always carries them). */
export const REQUIRED_CONFIG_FIELDS = [
  'layout',
  'activation',
  'output',
  'algorithm',
  'reluSampled',
  'learningRate',
  'momentum',
  'decay',
  'probabilityFloor',
  'pairs',
  'deltaClip',
  'seed',
] as const satisfies readonly (keyof NetworkConfig)[];

/** Fields a stored configuration may have. */
export const OPTIONAL_CONFIG_FIELDS = ['trainableActivation', 'activationRange', 'pairStep', 'temperature', 'weightBits'] as const satisfies readonly (keyof NetworkConfig)[];

const KNOWN: ReadonlySet<string> = new Set([...REQUIRED_CONFIG_FIELDS, ...OPTIONAL_CONFIG_FIELDS]);
const RANGE_FIELDS = ['kMin', 'kMax', 'cMin', 'cMax'];

/** A stored configuration (already JSON-parsed), checked against the schema. */
export function parseStoredConfig(raw: unknown): NetworkConfig<TrainingAlgorithm> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('(config)', `expected a JSON object, got ${shown(raw)}`);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) throw new ConfigError(key, 'unknown field (not part of a spintrain network configuration)');
  }
  for (const key of REQUIRED_CONFIG_FIELDS) {
    if (!Object.hasOwn(o, key)) throw new ConfigError(key, 'missing');
  }
  const range = o.activationRange;
  if (range !== undefined && typeof range === 'object' && range !== null && !Array.isArray(range)) {
    for (const key of Object.keys(range)) {
      if (!RANGE_FIELDS.includes(key)) throw new ConfigError(`activationRange.${key}`, 'unknown field (expected kMin, kMax, cMin, cMax)');
    }
  }
  return validateNetworkConfig(o as unknown as NetworkConfig<TrainingAlgorithm>);
}

/** parseStoredConfig of JSON text; a syntax error is a ConfigError of the whole value. */
export function parseStoredConfigJson(text: string): NetworkConfig<TrainingAlgorithm> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('(json)', `not valid JSON: ${(e as Error).message}`);
  }
  return parseStoredConfig(raw);
}

/** The schema's fields of a configuration, in their order (what a file stores; other fields are dropped). */
export function storedConfig(c: NetworkConfig<TrainingAlgorithm>): Partial<NetworkConfig<TrainingAlgorithm>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c)) if (KNOWN.has(key) && value !== undefined) out[key] = value;
  return out as Partial<NetworkConfig<TrainingAlgorithm>>;
}
