/**
 * Thrown when a command that runs something is used in an untrusted workspace (the user has
 * been told). Recognised by name: the shell and the runtime may be separate bundles.
 */
export class UntrustedWorkspaceError extends Error {
  override name = 'UntrustedWorkspaceError';
}

export function isUntrustedWorkspaceError(error: unknown): boolean {
  return error instanceof Error && error.name === 'UntrustedWorkspaceError';
}
