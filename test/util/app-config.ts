import { type AppConfig, ContextError, readAppConfig } from '../../lib/app-config';

/** The app's config for `context`, in us-east-1 unless the context names its own regions. */
export function configFrom(context: Record<string, unknown>): AppConfig {
  const all: Record<string, unknown> = { regions: 'us-east-1', ...context };
  return readAppConfig((key) => all[key]);
}

/** The ContextError `context` fails with; a test error when it reads fine or fails otherwise. */
export function contextFailure(context: Record<string, unknown>): ContextError {
  try {
    configFrom(context);
  } catch (err) {
    if (err instanceof ContextError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}
