// Placeholder replaced once the embedded launcher lands.
export async function startEmbeddedForTests(_dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  throw new Error('set DATABASE_URL');
}
