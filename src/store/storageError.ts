// The database could not be opened, started or reached: an operator's problem, reported without a stack.
export class StorageError extends Error {
  override readonly name = 'StorageError';
}
