// Placeholder until the harness lands: suites start what they need through tests/harness.
export default async function globalSetup(): Promise<void> {}
