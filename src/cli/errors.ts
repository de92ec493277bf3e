/** Bad usage (unknown option, missing argument): exit code 2, as opposed to bad input (exit code 1). */
export class UsageError extends Error {}
