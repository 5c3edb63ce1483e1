/**
 * The store limits a client sends in its initialization options, checked and
 * turned into the options `loadWorkspace` takes. A missing or invalid value
 * leaves the core's default in place.
 */
import type { LoadOptions } from '../../core';
import type { FlowymlInitializationOptions } from '../../protocol/lsp';

export function limitsOf(options: unknown): Pick<LoadOptions, 'open' | 'sizeGuard'> {
  const limits = (options as FlowymlInitializationOptions | undefined)?.limits;
  if (!limits || typeof limits !== 'object') return {};

  const readTimeoutMs = nonNegative(limits.readTimeoutMs);
  const maxVersions = nonNegative(limits.maxVersions);
  const allow = Array.isArray(limits.allow) ? limits.allow.filter((file): file is string => typeof file === 'string') : undefined;

  return {
    open: { readTimeoutMs, readTimeoutHint: text(limits.readTimeoutHint) },
    sizeGuard: { maxVersions: maxVersions === undefined ? undefined : Math.floor(maxVersions), allow, hint: text(limits.sizeHint) },
  };
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
